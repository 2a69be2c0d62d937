import { describe, expect, it } from 'vitest';
import type { Seen } from './helpers.js';
import { contextOf, makeSim, puppet, recorder, types } from './helpers.js';

describe('event ordering', () => {
  it('runs events by time, and events at the same time in the order they were scheduled', () => {
    // Arrange
    const sim = makeSim(['n']);
    const log: Seen[] = [];
    const ref = puppet(sim, 'n', 'a', log);
    sim.startAll();
    const ctx = contextOf(sim, ref);
    ctx.after(200, { type: 'late' });
    ctx.after(100, { type: 'tie-1' });
    ctx.after(100, { type: 'tie-2' });
    ctx.after(50, { type: 'early' });
    ctx.after(100, { type: 'tie-3' });
    // Act
    sim.runUntil(1_000);
    // Assert
    expect(types(log)).toEqual(['early', 'tie-1', 'tie-2', 'tie-3', 'late']);
    expect(log.map((s) => s.atUs)).toEqual([50, 100, 100, 100, 200]);
  });

  it('interleaves callbacks, timers and deliveries at one instant in scheduling order', () => {
    // Arrange: all three kinds land at t=5ms; they were scheduled in the order c1, m, t, c2.
    const sim = makeSim(['a', 'b']);
    const order: string[] = [];
    const log: Seen[] = [];
    const a = puppet(sim, 'a', 'a');
    recorder(sim, 'b', 'b', log, (_ctx, m) => order.push(m.type));
    sim.startAll();
    sim.at(5_000, () => order.push('c1'));
    contextOf(sim, a).send(sim.ref('b', 'b'), { type: 'm' }); // fixed 5 ms latency
    const bCtxTimer = (): void => void sim.scheduleTimer(sim.ref('b', 'b'), 5_000, { type: 't' });
    bCtxTimer();
    sim.at(5_000, () => order.push('c2'));
    // Act
    sim.runUntil(10_000);
    // Assert
    expect(order).toEqual(['c1', 'm', 't', 'c2']);
  });

  it('leaves the clock at the end time and runs nothing after it', () => {
    // Arrange
    const sim = makeSim(['n']);
    const log: Seen[] = [];
    const ref = puppet(sim, 'n', 'a', log);
    sim.startAll();
    contextOf(sim, ref).after(1_000, { type: 'in' });
    contextOf(sim, ref).after(1_001, { type: 'out' });
    // Act
    sim.runUntil(1_000);
    // Assert
    expect(types(log)).toEqual(['in']);
    expect(sim.now()).toBe(1_000);
    expect(sim.pendingEvents()).toBe(1);
  });

  it('refuses to schedule a callback in the past', () => {
    // Arrange
    const sim = makeSim(['n']);
    sim.startAll();
    sim.runUntil(10_000);
    // Act / Assert
    expect(() => sim.at(5_000, () => undefined)).toThrow(/not scheduled in the past/);
  });
});
