import { describe, expect, it } from 'vitest';
import type { WorkerId } from '../../src/systems/mantis/ids.js';
import type { Registration, TaskExecutorReport } from '../../src/systems/mantis/messages.js';
import {
  describeAvailability,
  IllegalTaskExecutorTransition,
  TaskExecutorState,
  TaskExecutorTaskCancelled,
} from '../../src/systems/mantis/task-executor-state.js';

const worker = (jobId: string, number: number): WorkerId => ({
  jobId,
  cluster: jobId,
  stage: 1,
  index: 0,
  number,
  attempt: 1,
});
const A1 = worker('A', 1);
const B2 = worker('B', 2);
const registration: Registration = { teId: 'TE-1', address: 'TE-1', hostname: 'TE-1' };
const available: TaskExecutorReport = { kind: 'Available' };
const occupied = (w: WorkerId): TaskExecutorReport => ({ kind: 'Occupied', worker: w });

function registered(): TaskExecutorState {
  const state = new TaskExecutorState();
  state.onRegistration(registration, 0);
  return state;
}

function running(w: WorkerId): TaskExecutorState {
  const state = registered();
  state.onHeartbeat(occupied(w), 1);
  return state;
}

describe('TaskExecutorState availability table (specs/mantis.md §a2)', () => {
  it('unknown + Available → Pending, unknown + Occupied(x) → Running(x)', () => {
    const a = registered();
    expect(a.onHeartbeat(available, 1)).toBe(true);
    expect(describeAvailability(a.availability)).toBe('Pending');
    const b = registered();
    b.onHeartbeat(occupied(A1), 1);
    expect(describeAvailability(b.availability)).toBe('Running(A-1-0)');
  });

  it('Running(w) + Available → Pending: a restarted TE is poolable again (the reported path)', () => {
    const state = running(A1);
    expect(state.onHeartbeat(available, 2)).toBe(true);
    expect(state.isAvailable).toBe(true);
  });

  it('Assigned(w) + Occupied(x) → Running(w): the reported worker id is ignored', () => {
    const state = registered();
    state.onHeartbeat(available, 1);
    state.onAssignment(B2);
    state.onTaskExecutorStatusChange(occupied(A1), 2);
    expect(describeAvailability(state.availability)).toBe('Running(B-1-0)');
  });

  it('Running(w) + Occupied(x) stays Running(w): the reported worker id is ignored', () => {
    const state = running(A1);
    expect(state.onHeartbeat(occupied(B2), 2)).toBe(false);
    expect(describeAvailability(state.availability)).toBe('Running(A-1-0)');
  });

  it('Assigned(w) + Available stays Assigned(w): a TE that crashed before Occupied is stuck', () => {
    const state = registered();
    state.onHeartbeat(available, 1);
    state.onAssignment(B2);
    expect(state.onHeartbeat(available, 2)).toBe(false);
    expect(describeAvailability(state.availability)).toBe('Assigned(B-1-0)');
    expect(state.isAvailable).toBe(false);
  });

  it('onAssignment throws unless Pending (or the same worker while Assigned)', () => {
    expect(() => running(A1).onAssignment(B2)).toThrow(IllegalTaskExecutorTransition);
    expect(() => registered().onAssignment(B2)).toThrow(IllegalTaskExecutorTransition);
    const state = registered();
    state.onHeartbeat(available, 1);
    state.onAssignment(B2);
    expect(state.onAssignment(B2)).toBe(false);
    expect(() => state.onAssignment(A1)).toThrow(IllegalTaskExecutorTransition);
    expect(state.onUnassignment()).toBe(true);
    expect(state.isAvailable).toBe(true);
  });

  it('a second registration does not replace the first (edge case 6)', () => {
    const state = registered();
    expect(state.onRegistration({ teId: 'TE-1', address: 'TE-1b', hostname: 'TE-1b' }, 5)).toBe(false);
    expect(state.registration?.address).toBe('TE-1');
  });

  it('disconnection forgets availability and remembers previousWorkerId', () => {
    const state = running(A1);
    expect(state.onDisconnection(3)).toBe(true);
    expect(state.availability).toBeNull();
    expect(state.previousWorkerId?.number).toBe(1);
    expect(() => state.onHeartbeat(available, 4)).toThrow(IllegalTaskExecutorTransition);
  });

  it('a heartbeat still reporting a cancelled worker is refused', () => {
    const state = running(A1);
    state.cancelledWorkerOnTask = A1;
    expect(() => state.onHeartbeat(occupied(A1), 2)).toThrow(TaskExecutorTaskCancelled);
    state.onHeartbeat(available, 3);
    expect(state.cancelledWorkerOnTask).toBeNull();
  });
});
