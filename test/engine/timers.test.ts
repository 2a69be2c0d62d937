import { describe, expect, it } from 'vitest';
import type { TimerHandle } from '../../src/engine/index.js';
import type { Seen } from './helpers.js';
import { contextOf, makeSim, puppet, recorder, types } from './helpers.js';

describe('timers', () => {
  it('cancels a one-shot timer before it fires, once', () => {
    // Arrange
    const sim = makeSim(['n']);
    const log: Seen[] = [];
    const ref = puppet(sim, 'n', 'a', log);
    sim.startAll();
    const ctx = contextOf(sim, ref);
    const cancelled = ctx.after(100, { type: 'cancelled' });
    ctx.after(200, { type: 'kept' });
    // Act
    const first = ctx.cancel(cancelled);
    const second = ctx.cancel(cancelled);
    sim.runUntil(1_000);
    // Assert
    expect(first).toBe(true);
    expect(second).toBe(false);
    expect(types(log)).toEqual(['kept']);
  });

  it('cannot cancel a one-shot timer that already fired', () => {
    // Arrange
    const sim = makeSim(['n']);
    const ref = puppet(sim, 'n', 'a');
    sim.startAll();
    const handle = contextOf(sim, ref).after(100, { type: 't' });
    sim.runUntil(500);
    // Act
    const result = contextOf(sim, ref).cancel(handle);
    // Assert
    expect(result).toBe(false);
  });

  it('fires a periodic timer every period and stops when cancelled from outside', () => {
    // Arrange
    const sim = makeSim(['n']);
    const log: Seen[] = [];
    const ref = puppet(sim, 'n', 'a', log);
    sim.startAll();
    const handle = contextOf(sim, ref).every(1_000, { type: 'tick' }, 500);
    sim.at(3_700, () => void contextOf(sim, ref).cancel(handle));
    // Act
    sim.runUntil(10_000);
    // Assert
    expect(log.map((s) => s.atUs)).toEqual([500, 1_500, 2_500, 3_500]);
  });

  it('stops a periodic timer cancelled from inside its own handler', () => {
    // Arrange
    const sim = makeSim(['n']);
    const log: Seen[] = [];
    let handle = 0 as TimerHandle;
    let cancelResult: boolean | null = null;
    recorder(
      sim,
      'n',
      'a',
      log,
      (ctx) => {
        if (log.length === 3) cancelResult = ctx.cancel(handle);
      },
      (ctx) => {
        handle = ctx.every(1_000, { type: 'tick' });
      },
    );
    sim.startAll();
    // Act
    sim.runUntil(10_000);
    // Assert
    expect(log.length).toBe(3);
    expect(cancelResult).toBe(true);
    expect(sim.pendingEvents()).toBe(0);
  });

  it('lets a handler cancel another timer due at the same instant', () => {
    // Arrange: both timers are due at t=100; the first cancels the second.
    const sim = makeSim(['n']);
    const log: Seen[] = [];
    const handles: TimerHandle[] = [];
    recorder(
      sim,
      'n',
      'a',
      log,
      (ctx, m) => {
        if (m.type === 'first') ctx.cancel(handles[1] as TimerHandle);
      },
      (ctx) => {
        handles.push(ctx.after(100, { type: 'first' }));
        handles.push(ctx.after(100, { type: 'second' }));
      },
    );
    sim.startAll();
    // Act
    sim.runUntil(1_000);
    // Assert
    expect(types(log)).toEqual(['first']);
  });

  it('drops the timers of a stopped actor, periodic ones included', () => {
    // Arrange
    const sim = makeSim(['n']);
    const log: Seen[] = [];
    recorder(
      sim,
      'n',
      'a',
      log,
      (ctx) => {
        if (log.length === 2) ctx.stop();
      },
      (ctx) => {
        ctx.every(1_000, { type: 'tick' });
        ctx.after(5_500, { type: 'one-shot' });
      },
    );
    sim.startAll();
    // Act
    sim.runUntil(100_000);
    // Assert: no more firings, and the periodic timer does not keep re-arming itself.
    expect(log.length).toBe(2);
    expect(sim.pendingEvents()).toBe(0);
    expect(sim.eventsRun).toBe(2);
  });

  it('does not deliver a timer armed by an earlier spawn to a respawned actor of the same name', () => {
    // Arrange
    const sim = makeSim(['n']);
    const log: Seen[] = [];
    const parent = puppet(sim, 'n', 'parent');
    sim.startAll();
    const parentCtx = contextOf(sim, parent);
    const childLog: string[] = [];
    let childCtx = parentCtx; // replaced below
    parentCtx.spawn('child', (ctx) => {
      childCtx = ctx;
      return { onMessage: (m) => void childLog.push(`first:${m.type}`) };
    });
    childCtx.after(1_000, { type: 'old-timer' });
    childCtx.stop();
    parentCtx.spawn('child', () => ({ onMessage: (m) => void childLog.push(`second:${m.type}`) }));
    // Act
    sim.runUntil(5_000);
    // Assert
    expect(childLog).toEqual([]);
    expect(log).toEqual([]);
  });
});
