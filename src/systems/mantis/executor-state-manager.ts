import { assert, fail } from '../../engine/index.js';
import type { WorkerId } from './ids.js';
import { TaskExecutorState } from './task-executor-state.js';

/** TE ids sort like upstream's tree-set would show them to a reader: TE-2 before TE-10. */
function compareTeIds(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/**
 * ExecutorStateManagerImpl: the TaskExecutorState map, the archive of disconnected states, and
 * the available pool (`executorsByGroup`; one SKU group in this model). In memory only: a leader
 * failover loses all of it.
 */
export class ExecutorStateManager {
  readonly states = new Map<string, TaskExecutorState>();
  /** archivedState (Guava cache, 24 h): entries are only ever invalidated, never revived. */
  readonly archived = new Map<string, TaskExecutorState>();
  readonly pool = new Set<string>();

  /**
   * setupTaskExecutorStateIfNecessary → trackIfAbsent(id, fresh): putIfAbsent, and invalidate
   * any archived entry. After a disconnection the next message gets a brand-new state; the
   * archived object (and its previousWorkerId) is discarded.
   */
  trackIfAbsent(teId: string): { state: TaskExecutorState; fresh: boolean } {
    const existing = this.states.get(teId);
    if (existing !== undefined) return { state: existing, fresh: false };
    const state = new TaskExecutorState();
    this.states.set(teId, state);
    this.archived.delete(teId);
    return { state, fresh: true };
  }

  archive(teId: string): void {
    const state = this.states.get(teId);
    if (state === undefined) return;
    this.states.delete(teId);
    this.archived.set(teId, state);
    this.pool.delete(teId);
  }

  /** Needs isAvailable ∧ registration ≠ null. */
  tryMarkAvailable(teId: string): boolean {
    const state = this.states.get(teId);
    if (state === undefined || !state.isAvailable || state.registration === null) return false;
    this.pool.add(teId);
    assert(state.registered, 'a pooled TE is registered', { teId });
    return true;
  }

  tryMarkUnavailable(teId: string): void {
    this.pool.delete(teId);
  }

  /** findBestFitFor: re-filters with isAvailable and registration; `pinnedNode` = placement constraint. */
  findBestFitFor(pinnedNode: string | null): string | null {
    let best: string | null = null;
    for (const teId of this.pool) {
      const state = this.states.get(teId);
      // The pool only holds tracked TEs: archive removes a TE from both.
      if (state === undefined) fail('a pooled TE has a TaskExecutorState', { teId });
      if (!state.isAvailable || state.registration === null) continue;
      if (pinnedNode !== null && state.registration.address !== pinnedNode) continue;
      if (best === null || compareTeIds(teId, best) < 0) best = teId;
    }
    return best;
  }

  /** The TE whose state isRunningOrAssigned(w) (TerminateWorkerRequest's lookup). */
  findByWorker(w: WorkerId): string | null {
    for (const [teId, state] of this.states) if (state.isRunningOrAssigned(w)) return teId;
    return null;
  }
}
