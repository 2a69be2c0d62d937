import { describe, expect, it } from 'vitest';
import { LimitError } from '../../src/engine/index.js';
import { makeSim, recorder } from './helpers.js';

describe('limits', () => {
  it('stops a run past maxEvents with a LimitError that says what ran out and where', () => {
    // Arrange: a 1 ms periodic timer would fire 1000 times in a second.
    const sim = makeSim(['n'], { maxEvents: 100 });
    recorder(sim, 'n', 'a', [], undefined, (ctx) => void ctx.every(1_000, { type: 'tick' }));
    sim.startAll();
    // Act
    let caught: unknown;
    try {
      sim.runUntil(1_000_000);
    } catch (error) {
      caught = error;
    }
    // Assert
    expect(caught).toBeInstanceOf(LimitError);
    const message = (caught as Error).message;
    expect(message).toMatch(/event budget exhausted: 100 events/);
    expect(message).toMatch(/t=100ms/);
    expect(message).toMatch(/before the end at t=1000ms/);
    expect(sim.eventsRun).toBe(100);
  });

  it('also stops a loop of callbacks that never reaches an actor', () => {
    // Arrange: a callback that re-schedules itself at the same instant forever.
    const sim = makeSim(['n'], { maxEvents: 1_000 });
    sim.startAll();
    const loop = (): void => sim.at(sim.now(), loop);
    sim.at(0, loop);
    // Act / Assert
    expect(() => sim.runUntil(1_000)).toThrow(LimitError);
  });

  it('does not trip when the run fits the budget', () => {
    // Arrange
    const sim = makeSim(['n'], { maxEvents: 1_000 });
    recorder(sim, 'n', 'a', [], undefined, (ctx) => void ctx.every(1_000, { type: 'tick' }));
    sim.startAll();
    // Act
    sim.runUntil(999_000);
    // Assert
    expect(sim.eventsRun).toBe(999);
  });
});
