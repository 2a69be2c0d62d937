import { describe, expect, it } from 'vitest';
import type { ActorRef } from '../../src/engine/index.js';
import { makeSim, puppet, recorder } from './helpers.js';

/**
 * Nodes `a` and `b` each hold one actor (refs 0 and 1); `a` crashes and comes back `restarts`
 * times, then `sender` sends one message to the sink. Everything else in the trace is the same.
 */
function hashWithSender(sender: 'a' | 'b', restarts: number): string {
  const sim = makeSim(['a', 'b', 'sink']);
  const refs: Record<'a' | 'b', ActorRef> = { a: puppet(sim, 'a', 'x'), b: puppet(sim, 'b', 'x') };
  const sink = recorder(sim, 'sink', 'sink', []);
  sim.startAll();
  for (let i = 0; i < restarts; i++) {
    sim.at(1_000 + 2 * i, () => sim.crash('a'));
    sim.at(1_001 + 2 * i, () => sim.restart('a'));
  }
  sim.at(1_000_000, () => sim.send(refs[sender], sink, { type: 'm' }));
  sim.runUntil(2_000_000);
  return sim.traceHash();
}

describe('trace hash', () => {
  it('tells the senders of a delivery apart however often a node restarted', () => {
    // Act: a's actor after 64 restarts and b's actor sent the "same" message.
    const fromA = hashWithSender('a', 64);
    const fromB = hashWithSender('b', 64);
    // Assert
    expect(fromA).not.toBe(fromB);
  });
});
