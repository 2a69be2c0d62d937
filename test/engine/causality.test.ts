import { describe, expect, it } from 'vitest';
import type { Simulation, TraceRecord } from '../../src/engine/index.js';
import { TraceKind } from '../../src/engine/index.js';
import { makeSim, recorder } from './helpers.js';

/**
 * `a` arms a 10 ms `tick` on start and, on each tick, pings `b`; `b` answers each ping with a
 * `pong` and a note. `a` restarts at 25 ms (a scenario step: a root).
 */
function pingPong(captureLimit: number): Simulation {
  const sim = makeSim(['a', 'b'], { captureLimit });
  const b = sim.ref('b', 'x');
  recorder(
    sim,
    'a',
    'x',
    [],
    (ctx, m) => {
      if (m.type === 'tick') ctx.send(b, { type: 'ping' });
    },
    (ctx) => ctx.after(10_000, { type: 'tick' }),
  );
  recorder(sim, 'b', 'x', [], (ctx, m) => {
    if (m.type === 'ping') {
      ctx.note('pong', 'b answers');
      ctx.send(sim.ref('a', 'x'), { type: 'pong' });
    }
  });
  sim.startAll();
  sim.at(25_000, () => sim.restart('a'));
  sim.runUntil(100_000);
  return sim;
}

function byType(records: readonly TraceRecord[], type: string): TraceRecord[] {
  return records.filter((r) => r.type === type);
}

describe('causality', () => {
  it('gives each delivery the event whose handler sent it, back to the restart that is a root', () => {
    // Act
    const records = pingPong(1_000).capture!.records;
    // Assert: the second tick runs in the restarted incarnation, armed by the restart itself.
    const restart = byType(records, 'restart')[0]!;
    expect(restart.kind).toBe(TraceKind.Restart);
    expect(restart.seq).toEqual(expect.any(Number));
    expect(restart.cause).toBeUndefined();
    const ticks = byType(records, 'tick');
    expect(ticks).toHaveLength(2);
    expect(ticks[0]!.cause).toBeUndefined(); // armed at the first start
    expect(ticks[1]!.cause).toBe(restart.seq);
    const pings = byType(records, 'ping');
    expect(pings.map((p) => p.cause)).toEqual(ticks.map((t) => t.seq));
    const pongs = byType(records, 'pong');
    expect(pongs.map((p) => p.cause)).toEqual(pings.map((p) => p.seq));
  });

  it('gives a note the event whose handler wrote it', () => {
    // Act
    const sim = pingPong(1_000);
    // Assert
    const pings = byType(sim.capture!.records, 'ping');
    expect(pings.every((p) => typeof p.seq === 'number')).toBe(true);
    expect(sim.notes.map((n) => n.cause)).toEqual(pings.map((p) => p.seq));
  });

  it('numbers events uniquely, in the order they ran', () => {
    // Act
    const records = pingPong(1_000).capture!.records;
    // Assert
    const seqs = records.map((r) => r.seq!);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  it('leaves the trace hash as it is with or without capture', () => {
    // Act / Assert: ids and causes are not hashed.
    expect(pingPong(1_000).traceHash()).toBe(pingPong(0).traceHash());
  });
});
