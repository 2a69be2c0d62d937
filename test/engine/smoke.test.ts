import { describe, expect, it } from 'vitest';
import type { Actor, ActorContext, ActorRef, Message } from '../../src/engine/index.js';
import { Simulation } from '../../src/engine/index.js';

type Beat = { type: 'beat-due' } | { type: 'Heartbeat'; seq: number };

describe('engine smoke', () => {
  it('delivers heartbeats through the network and stops them while the sender is crashed', () => {
    // Arrange
    const sim = new Simulation({ seed: 7 }, ['master', 'te']);
    const seen: number[] = [];
    const master = sim.ref('master', 'm');
    sim.defineNode('master', (n) =>
      n.spawn<Beat>('m', () => ({
        onMessage: (msg) => {
          if (msg.type === 'Heartbeat') seen.push(sim.now());
        },
      })),
    );
    sim.defineNode('te', (n) =>
      n.spawn<Beat>('te', (ctx: ActorContext<Beat>): Actor<Beat> => ({
        onStart: () => void ctx.every(1_000_000, { type: 'beat-due' }, 0),
        onMessage: (msg) => {
          if (msg.type === 'beat-due') ctx.send(master as ActorRef, { type: 'Heartbeat', seq: 1 } as Message);
        },
      })),
    );
    sim.startAll();
    sim.at(3_500_000, () => sim.crash('te'));
    sim.at(6_500_000, () => sim.restart('te'));
    // Act
    sim.runUntil(10_000_000);
    // Assert: beats at 0,1,2,3 then 6.5,7.5,8.5,9.5 (+latency)
    expect(seen.length).toBe(8);
    expect(seen.every((t) => t % 1_000_000 >= 1000)).toBe(true);
    expect(sim.traceHash()).toMatch(/^[0-9a-f]{16}$/);
  });
});
