import type { Micros, SafetyInvariant, Simulation, ViolationDetail } from '../../engine/index.js';
import { msToUs } from '../../engine/index.js';
import type { Invariant } from '../invariant.js';
import type { InvariantSpec } from '../system-model.js';
import type { Engine } from './engine.js';
import type { AvaWorld, ConnectionRecord } from './world.js';
import { supportsTaskTrigger } from './approval.js';

/** I1–I11 of specs/ava.md §8, ids as CONTRACT §5. All checked against ground truth. */
const avaDeclared: readonly InvariantSpec[] = [
  {
    id: 'single-ticker',
    kind: 'safety',
    meaning: 'I1: at most one uncancelled StreamCheckToOperator handler per operator address',
  },
  { id: 'no-empty-assignment', kind: 'safety', meaning: 'I2: taskAssignments never maps a task to ""' },
  {
    id: 'stream-is-newest',
    kind: 'safety',
    meaning: "I3: operatorStreams[a] is a's newest accepted connection while that connection is open",
  },
  {
    id: 'tick-progress',
    kind: 'safety',
    meaning: 'I4: every tick body (and cleanup) finishes within its sends x sendTimeout (no deadlock)',
  },
  {
    id: 'resync-after-reconnect',
    kind: 'safety',
    meaning:
      'I5: after a connect, every task owned by the operator or by nobody is sent on that connection by its first send opportunity',
  },
  {
    id: 'live-owner',
    kind: 'safety',
    meaning:
      'I6: within 15s of a live, stabilized, approved, capable operator existing, every task is assigned to a live, approved, capable operator',
  },
  {
    id: 'send-once-per-connection',
    kind: 'safety',
    meaning: 'I7: MonitorTaskTrigger(T) is sent at most once on a connection',
  },
  {
    id: 'approved-only',
    kind: 'safety',
    meaning: 'I8: an unapproved operator receives no MonitorTaskTrigger',
  },
  {
    id: 'single-monitor',
    kind: 'safety',
    meaning: 'I9: at most one operator process holds a local check for a task',
  },
  {
    id: 'cancel-reaches-monitors',
    kind: 'safety',
    meaning: 'I10: a Cancel/Delete of T reaches every process monitoring T within notificationBatch + 1s',
  },
  {
    id: 'no-resend-after-delete',
    kind: 'safety',
    meaning: 'I11: no deleted or cancelled task is ever (re)sent',
  },
];

/**
 * Minimal adapter onto the generic Invariant list (issue 13): Ava's checks still read AvaWorld,
 * built per run by `addAvaInvariants` and handed to the runner as the view. Porting Ava onto its
 * actors' own state replaces this view and these closures.
 */
export interface AvaView {
  readonly safety: ReadonlyMap<string, (nowUs: Micros) => ViolationDetail | null>;
}

export const avaInvariantSpecs: readonly Invariant<AvaView>[] = avaDeclared.map(
  (spec): Invariant<AvaView> => {
    if (spec.kind !== 'safety') throw new Error(`ava invariant ${spec.id}: only safety is adapted`);
    // Looked up per call: this list is module-wide, the closures are per run.
    return {
      id: spec.id,
      kind: 'safety',
      meaning: spec.meaning,
      check: (view, nowUs) => view.safety.get(spec.id)?.(nowUs) ?? null,
    };
  },
);

/** How long a task may lack a live owner while one could own it (I6). */
const LIVE_OWNER_GRACE_MS = 15_000;
const LIVE_OWNER_SAMPLE_MS = 1000;

export function addAvaInvariants(
  sim: Simulation,
  world: AvaWorld,
  engine: () => Engine | undefined,
): AvaView {
  const safety = new Map<string, (nowUs: Micros) => ViolationDetail | null>();
  const add = (invariant: SafetyInvariant): void => {
    safety.set(invariant.id, (nowUs) => invariant.check(nowUs));
  };
  const oneShot = (id: string): SafetyInvariant => ({
    id,
    check: () => {
      const detail = world.eventViolations.get(id) ?? null;
      if (detail !== null) world.eventViolations.delete(id);
      return detail;
    },
  });

  add({
    id: 'single-ticker',
    check: () => {
      if (world.multiTickerAddresses === 0) return null;
      for (const [address, ids] of world.uncancelledByAddress) {
        if (ids.size <= 1) continue;
        const names = [...ids].map((i) => `c${i}`).join(', ');
        return {
          message: `operator ${address} has ${ids.size} uncancelled ticker handlers (${names})`,
          entities: { operator: address, connections: names },
        };
      }
      return null;
    },
  });

  add({ id: 'no-empty-assignment', check: () => world.emptyAssignment });

  let streamDetail: ViolationDetail | null = null;
  add({
    id: 'stream-is-newest',
    check: () => {
      if (!world.streamsDirty) return streamDetail;
      streamDetail = staleStream(world, engine());
      world.streamsDirty = false;
      return streamDetail;
    },
  });

  add({ id: 'tick-progress', check: (nowUs) => world.overdueBody(nowUs) });

  add({
    id: 'resync-after-reconnect',
    check: () => {
      for (const [connId, missing] of world.resyncMissing) {
        if (missing.size === 0) continue;
        const record = world.connections[connId - 1] as ConnectionRecord;
        const tasks = [...missing].sort().join(', ');
        return {
          message: `operator ${record.address} reconnected as ${record.name} at ${(record.acceptedAtUs / 1e6).toFixed(3)}s, but ${missing.size === 1 ? `task ${tasks} was` : `tasks ${tasks} were`} not sent on it by its first send opportunity`,
          entities: { operator: record.address, connection: record.name, task: tasks },
        };
      }
      return null;
    },
  });

  const badSince = new Map<string, number>();
  const sampleLiveOwner = (): void => {
    world.liveOwnerDetail = judgeLiveOwner(sim, world, engine(), badSince);
    sim.at(sim.now() + msToUs(LIVE_OWNER_SAMPLE_MS), sampleLiveOwner);
  };
  sim.at(msToUs(LIVE_OWNER_SAMPLE_MS), sampleLiveOwner);
  add({ id: 'live-owner', check: () => world.liveOwnerDetail });

  // I7's "unless a Cancel/Delete cleared it" exempts nothing in practice: only a cancelled or
  // deleted task is cleared that way, and the spec's table counts its re-send (E9) as an I7
  // violation, so any second send on a connection is one (also a late E11 delivery + re-send).
  add(oneShot('send-once-per-connection'));
  add(oneShot('approved-only'));

  add({
    id: 'single-monitor',
    check: () => {
      for (const taskId of world.multiMonitored) {
        const nodes = [...(world.monitors.get(taskId) ?? [])].sort().join(', ');
        return {
          message: `task ${taskId} is monitored by ${world.monitors.get(taskId)?.size ?? 0} operator processes (${nodes})`,
          entities: { task: taskId, process: nodes },
        };
      }
      return null;
    },
  });

  add({
    id: 'cancel-reaches-monitors',
    check: () => (world.pendingCancels.length === 0 ? null : world.lateCancel()),
  });
  add(oneShot('no-resend-after-delete'));
  return { safety };
}

/** I3: for each address whose newest connection is still open, operatorStreams must hold it. */
function staleStream(world: AvaWorld, engine: Engine | undefined): ViolationDetail | null {
  if (engine === undefined || !world.aggregatorUp) return null;
  for (const [address, connId] of world.newestByAddress) {
    const record = world.connections[connId - 1] as ConnectionRecord;
    if (record.exited) continue;
    const entry = engine.operatorStreams.get(address);
    if (entry?.connId === connId) continue;
    const held = entry === undefined ? 'has no entry' : `holds the older c${entry.connId}`;
    return {
      message: `operator ${address}'s newest connection ${record.name} is open, but operatorStreams[${address}] ${held}`,
      entities: { operator: address, connection: record.name },
    };
  }
  return null;
}

/** Ground truth liveness of a connection: accepted, handler alive, transport up and read. */
function isLive(sim: Simulation, world: AvaWorld, record: ConnectionRecord): boolean {
  if (record.exited || !sim.isUp(record.node)) return false;
  if (sim.streamState(record.streamId) !== 'up') return false;
  if (sim.partitions.cut(sim.nodeIndex(record.node), sim.nodeIndex('aggregator'))) return false;
  return world.operators.get(record.node)?.currentStream() === record.streamId;
}

/** I6, sampled every second: a task without a live owner while a live candidate exists. */
function judgeLiveOwner(
  sim: Simulation,
  world: AvaWorld,
  engine: Engine | undefined,
  badSince: Map<string, number>,
): ViolationDetail | null {
  if (engine === undefined || !world.aggregatorUp) {
    badSince.clear();
    return null;
  }
  const now = sim.now();
  const stabilizedUs = msToUs(world.config.stabilizationMs);
  const live: ConnectionRecord[] = [];
  for (const [, connId] of world.newestByAddress) {
    const record = world.connections[connId - 1] as ConnectionRecord;
    if (world.isApproved(record.address) && isLive(sim, world, record)) live.push(record);
  }
  let worst: ViolationDetail | null = null;
  // "every T ∈ tasks": the aggregator's in-memory task map, which keeps a deleted task (E9) and
  // takes back a cancelled one that an operator reported (E10), not the DB's active rows.
  for (const task of engine.tasks.values()) {
    const candidates = live.filter(
      (r) => now - r.acceptedAtUs >= stabilizedUs && supportsTaskTrigger(r.capabilities, task.trigger),
    );
    const owner = engine.taskAssignments.get(task.id);
    const ownerOk =
      owner !== undefined &&
      live.some((r) => r.address === owner && supportsTaskTrigger(r.capabilities, task.trigger));
    if (candidates.length === 0 || ownerOk) {
      badSince.delete(task.id);
      continue;
    }
    const since = badSince.get(task.id) ?? now;
    badSince.set(task.id, since);
    if (worst === null && now - since >= msToUs(LIVE_OWNER_GRACE_MS)) {
      const who = owner === undefined ? 'no operator' : `operator ${owner}, which is not live`;
      worst = {
        message: `task ${task.id} has been assigned to ${who} for ${((now - since) / 1e6).toFixed(0)}s while live operator ${candidates.map((c) => c.address).join(', ')} could run it`,
        entities: { task: task.id, ...(owner !== undefined ? { owner } : {}) },
      };
    }
  }
  // A task that left memory (cancelled) starts afresh if it comes back (E10's reload).
  for (const id of badSince.keys()) if (!engine.tasks.has(id)) badSince.delete(id);
  return worst;
}
