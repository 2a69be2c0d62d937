// Conformance cases where upstream's test is a unit test of one class: the model's class (or
// function) is driven the same way, and upstream's assertions are checked. See docs/conformance.md.
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/scenario/compile.js';
import { mantisModel } from '../../../src/systems/mantis/index.js';
import { resolveMantisConfig, resubmitDelaysMs } from '../../../src/systems/mantis/config.js';
import type { WorkerId } from '../../../src/systems/mantis/ids.js';
import type { TaskExecutorReport } from '../../../src/systems/mantis/messages.js';
import { TaskExecutorState } from '../../../src/systems/mantis/task-executor-state.js';

const WORKER: WorkerId = { jobId: 'J', cluster: 'J', stage: 1, index: 0, number: 1, attempt: 1 };
const REGISTRATION = { teId: 'TE-1', address: 'TE-1', hostname: 'TE-1' };
const AVAILABLE: TaskExecutorReport = { kind: 'Available' };
const OCCUPIED: TaskExecutorReport = { kind: 'Occupied', worker: WORKER };

function kind(state: TaskExecutorState): string | null {
  return state.availability?.kind ?? null;
}

// mantis-control-plane/mantis-control-plane-server/src/test/java/io/mantisrx/master/resourcecluster/TaskExecutorStateTest.java
describe('TaskExecutorStateTest (be1148fe and bcfba90b)', () => {
  it('testRegularLifecycle: register, Available, assign, Running, heartbeat while running, stop', () => {
    const state = new TaskExecutorState();
    expect(state.onRegistration(REGISTRATION, 0)).toBe(true);
    expect(state.registered).toBe(true);
    // heartbeat after registration: a change; not assigned, not running; last activity = now
    expect(state.onHeartbeat(AVAILABLE, 1_000_000)).toBe(true);
    expect([state.registered, kind(state), state.isRunningTask]).toEqual([true, 'Pending', false]);
    expect(state.lastActivityUs).toBe(1_000_000);
    // assignment
    expect(state.onAssignment(WORKER)).toBe(true);
    expect(kind(state)).toBe('Assigned');
    // status change to running
    expect(state.onTaskExecutorStatusChange(OCCUPIED, 3_000_000)).toBe(true);
    expect([kind(state), state.isRunningTask, state.lastActivityUs]).toEqual(['Running', true, 3_000_000]);
    // heartbeat when running: no change, activity still recorded
    expect(state.onHeartbeat(OCCUPIED, 4_000_000)).toBe(false);
    expect([kind(state), state.isRunningTask, state.lastActivityUs]).toEqual(['Running', true, 4_000_000]);
    // stopping the task
    expect(state.onTaskExecutorStatusChange(AVAILABLE, 5_000_000)).toBe(true);
    expect([state.registered, kind(state), state.isRunningTask, state.lastActivityUs]).toEqual([
      true,
      'Pending',
      false,
      5_000_000,
    ]);
  });

  it('testInitializationLifecycle: register, then a heartbeat reporting a task makes it running, not available', () => {
    const state = new TaskExecutorState();
    expect(state.onRegistration(REGISTRATION, 0)).toBe(true);
    expect(state.onHeartbeat(OCCUPIED, 1_000_000)).toBe(true);
    expect([state.registered, kind(state), state.isRunningTask, state.isAvailable]).toEqual([
      true,
      'Running',
      true,
      false,
    ]);
    expect(state.lastActivityUs).toBe(1_000_000);
  });
});

// mantis-control-plane/mantis-control-plane-server/src/test/java/io/mantisrx/master/jobcluster/job/WorkerResubmitRateLimiterTest.java
describe('WorkerResubmitRateLimiterTest (be1148fe and bcfba90b)', () => {
  it('ctorTest: "5:10:15" gives the table 0, 5, 10, 15', () => {
    expect(resubmitDelaysMs('5:10:15')).toEqual([0, 5000, 10_000, 15_000]);
  });

  it('ctorTest_nointervalgiven: the default table is 0, 5, 10, 20 (BUG and FIX784; mantis errata 2)', () => {
    for (const variant of ['as-is', 'fix-1a-merged']) {
      const config = resolveConfig(mantisModel, variant, {}, {}, () => undefined);
      expect(resolveMantisConfig(config).resubmitDelaysMs).toEqual([0, 5000, 10_000, 20_000]);
    }
  });
});
