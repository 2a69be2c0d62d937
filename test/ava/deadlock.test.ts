import { describe, expect, it } from 'vitest';
import { runAva, violated } from './helpers.js';

describe('ava: reassignOrphanedTasks self-deadlock (E2)', () => {
  it("with two operators under fixed, c1's cleanup deadlocks, tick-progress fires and streaming halts", () => {
    // Act
    const result = runAva('s4-deadlock.yaml', 'fixed');
    // Assert
    const progress = result.violations.find((v) => v.invariant === 'tick-progress');
    expect(progress?.atMs).toBeGreaterThan(20_000);
    expect(progress?.atMs).toBeLessThan(22_500);
    expect(progress?.message).toContain('self-deadlock');
    expect(result.metrics['deadlockedHandlers']).toBeGreaterThanOrEqual(2);
    const sendsAfter = result.notes.filter((n) => n.category === 'send' && n.atUs > 20_500_000);
    expect(sendsAfter).toEqual([]);
  });

  it('under head (lock released before assign, guarded cleanup) nothing deadlocks and T3 is streamed', () => {
    // Act
    const result = runAva('s4-deadlock.yaml', 'head');
    // Assert
    expect(violated(result)).not.toContain('tick-progress');
    expect(result.metrics['deadlockedHandlers']).toBe(0);
    expect(result.notes.some((n) => n.category === 'send' && n.entities['task'] === 'T3')).toBe(true);
  });

  it('fixed with reassignDeadlock=false alone does not deadlock', () => {
    // Act
    const result = runAva('s4-deadlock.yaml', 'fixed', { reassignDeadlock: 'false' });
    // Assert
    expect(violated(result)).not.toContain('tick-progress');
    expect(result.metrics['deadlockedHandlers']).toBe(0);
  });
});
