import type { Micros, ViolationDetail } from '../../engine/index.js';
import { msToUs } from '../../engine/index.js';
import type { SafetyInvariantSpec } from '../invariant.js';
import { supportsTaskTrigger } from './approval.js';
import type { Busy } from './connection.js';
import type { DbTask } from './engine.js';
import type { AvaView, ConnectionView, EngineView, OperatorView, Side } from './view.js';

/**
 * One of I1–I11 of specs/ava.md §8 (ids as CONTRACT §5), checked after every event. `start`, if
 * any, sets up what its check remembers over one run (kept in that run's view).
 */
export interface AvaInvariant extends SafetyInvariantSpec<AvaView> {
  start?(view: AvaView): void;
}

/** An invariant whose check keeps memory over a run (what it has seen, pending judgements). */
function remembering<M>(
  id: string,
  meaning: string,
  start: (view: AvaView) => M,
  check: (view: AvaView, memory: M, nowUs: Micros) => ViolationDetail | null,
): AvaInvariant {
  return {
    id,
    kind: 'safety',
    meaning,
    start: (view) => view.memories.set(id, start(view)),
    check: (view, nowUs) => check(view, view.memories.get(id) as M, nowUs),
  };
}

/**
 * An invariant whose verdict is a function of the models' state alone (not of the time): computed
 * once per generation of the view and reused by the checks until something runs again.
 */
function stateOnly(side: Side, invariant: AvaInvariant): AvaInvariant {
  const { check } = invariant;
  return { ...invariant, check: (view, nowUs) => view.derive(invariant.id, side, () => check(view, nowUs)) };
}

/** How long a task may lack a live owner while one could own it (I6). */
const LIVE_OWNER_GRACE_MS = 15_000;
const LIVE_OWNER_SAMPLE_MS = 1000;
/** In-memory steps of a tick body take no simulated time; this bounds them (I4). */
const STEP_BUDGET_MS = 1000;

/** The newest connection of each address in this incarnation of the aggregator. */
function newestOf(view: AvaView, engine: EngineView): Map<string, ConnectionView> {
  return view.derive('newest', 'aggregator', () => {
    const newest = new Map<string, ConnectionView>();
    for (const record of engine.connections.values()) newest.set(record.address, record);
    return newest;
  });
}

function isNewest(engine: EngineView, record: ConnectionView): boolean {
  if (engine.connections.get(record.id) !== record) return false;
  for (const other of engine.connections.values())
    if (other.address === record.address && other.id > record.id) return false;
  return true;
}

const singleTicker = stateOnly('aggregator', {
  id: 'single-ticker',
  kind: 'safety',
  meaning: 'I1: at most one uncancelled StreamCheckToOperator handler per operator address',
  check: (view) => {
    const engine = view.engine();
    if (engine === undefined) return null;
    // Uncancelled handlers are few (about one per address): look for a repeated address among them.
    const uncancelled: ConnectionView[] = [];
    let several = false;
    for (const record of engine.connections.values()) {
      if (record.exited || record.cancelled) continue;
      for (const other of uncancelled) if (other.address === record.address) several = true;
      uncancelled.push(record);
    }
    if (!several) return null;
    // The first address (by its first connection in this incarnation) that has several.
    const seen = new Set<string>();
    for (const record of engine.connections.values()) {
      if (seen.has(record.address)) continue;
      seen.add(record.address);
      const ids = uncancelled.filter((r) => r.address === record.address).map((r) => r.id);
      if (ids.length <= 1) continue;
      const names = ids.map((i) => `c${i}`).join(', ');
      return {
        message: `operator ${record.address} has ${ids.length} uncancelled ticker handlers (${names})`,
        entities: { operator: record.address, connections: names },
      };
    }
    return null;
  },
});

const noEmptyAssignment = stateOnly('aggregator', {
  id: 'no-empty-assignment',
  kind: 'safety',
  meaning: 'I2: taskAssignments never maps a task to ""',
  check: (view) => {
    const engine = view.engine();
    if (engine === undefined) return null;
    for (const [taskId, owner] of engine.taskAssignments)
      if (owner === '')
        return { message: `taskAssignments[${taskId}] was set to ""`, entities: { task: taskId } };
    return null;
  },
});

const streamIsNewest = stateOnly('aggregator', {
  id: 'stream-is-newest',
  kind: 'safety',
  meaning: "I3: operatorStreams[a] is a's newest accepted connection while that connection is open",
  check: (view) => {
    const engine = view.engine();
    if (engine === undefined) return null;
    const newest = newestOf(view, engine);
    for (const address of view.seen.addressOrder) {
      const record = newest.get(address);
      if (record === undefined || record.exited) continue;
      const entry = engine.operatorStreams.get(address);
      if (entry?.connId === record.id) continue;
      const held = entry === undefined ? 'has no entry' : `holds the older c${entry.connId}`;
      return {
        message: `operator ${address}'s newest connection ${record.name} is open, but operatorStreams[${address}] ${held}`,
        entities: { operator: address, connection: record.name },
      };
    }
    return null;
  },
});

/** When a busy part of a handler is overdue: its in-memory steps get STEP_BUDGET, each send its timeout. */
function busyDeadlineUs(busy: Readonly<Busy>, sendTimeoutMs: number): Micros {
  if (busy.part !== 'sends') return busy.sinceUs + msToUs(STEP_BUDGET_MS);
  if (sendTimeoutMs <= 0) return Number.POSITIVE_INFINITY; // a blocking Send: no bound
  return busy.sinceUs + msToUs(busy.sends * sendTimeoutMs) + msToUs(1);
}

/** The detail given for a busy part, and whether it was parked then (a part parks at most once). */
interface StuckSaid {
  readonly parked: Busy['parked'];
  readonly detail: ViolationDetail;
}

function stuckDetail(record: ConnectionView, busy: Readonly<Busy>): ViolationDetail {
  const entities = { operator: record.address, connection: record.name };
  if (busy.parked !== null)
    return {
      message: `${record.name} of operator ${record.address} never finished its ${busy.parked.where}: it waits for ${busy.parked.waitsFor}`,
      entities: { ...entities, holder: busy.parked.holder },
    };
  const what = busy.part === 'sends' ? `its ${busy.sends} send(s)` : `its ${busy.part}`;
  return { message: `${record.name} of operator ${record.address} made no progress in ${what}`, entities };
}

const tickProgress = remembering(
  'tick-progress',
  'I4: every tick body (and cleanup) finishes within its sends x sendTimeout (no deadlock)',
  () => ({ woken: new WeakSet<Readonly<Busy>>(), details: new WeakMap<Readonly<Busy>, StuckSaid>() }),
  (view, { woken, details }, nowUs) => {
    const busy = view.derive('busy', 'aggregator', () => {
      const found: {
        readonly record: ConnectionView;
        readonly busy: Readonly<Busy>;
        readonly deadlineUs: Micros;
      }[] = [];
      for (const record of view.engine()?.connections.values() ?? []) {
        if (record.busy === null) continue;
        const deadlineUs = busyDeadlineUs(record.busy, view.config.sendTimeoutMs);
        found.push({ record, busy: record.busy, deadlineUs });
        if (Number.isFinite(deadlineUs) && !woken.has(record.busy)) {
          // A check at the deadline, so a quiet run sees it too.
          woken.add(record.busy);
          view.wakeAt(deadlineUs);
        }
      }
      return found;
    });
    for (const entry of busy) {
      if (entry.deadlineUs > nowUs) continue;
      // An overdue part stays overdue for many checks: its detail is made once (again if it parks).
      const said = details.get(entry.busy);
      if (said !== undefined && said.parked === entry.busy.parked) return said.detail;
      const detail = stuckDetail(entry.record, entry.busy);
      details.set(entry.busy, { parked: entry.busy.parked, detail });
      return detail;
    }
    return null;
  },
);

/**
 * I5 names the tasks a connection must get by looking at the owners *at its first send
 * opportunity*, 1 µs after its tick body has reclaimed and assigned (a task that body itself
 * round-robins to another operator is "owned elsewhere"), then allows one send timeout per
 * such task (+1 s). A task owned elsewhere then and moved to this operator later (e.g. by
 * another connection's cleanup) is exempt: judging owners at the deadline instead flagged
 * HEAD for a task moved to A after A's one-shot immediate send (fuzz head seed 167), which I5
 * does not promise (docs/ava.md: at HEAD it waits for the 15 min tick).
 */
const resyncAfterReconnect = remembering(
  'resync-after-reconnect',
  'I5: after a connect, every task owned by the operator or by nobody is sent on that connection by its first send opportunity',
  (view) => {
    const c = view.config;
    const firstMs =
      c.cadence === 'immediate'
        ? c.stabilizationMs
        : Math.max(1, Math.ceil(c.stabilizationMs / c.tickerIntervalMs)) * c.tickerIntervalMs;
    /**
     * Judged connections (in judgement order), the tasks each was owed and had not got, and the
     * detail as of `sentSeen` sends: a connection's log of sends only grows, so while its length
     * stays the detail stays (made once, not at every check).
     */
    const missing = new Map<ConnectionView, Owed>();
    view.seen.onNew.push((record) => {
      const opportunityUs = record.acceptedAtUs + msToUs(firstMs);
      view.wakeAt(opportunityUs + 1, () => {
        const engine = view.engine();
        if (!owes(engine, record) || !view.isApproved(record.address)) return;
        const due: string[] = [];
        for (const task of view.db().values()) {
          if (task.status !== 'active' || record.sent.includes(task.id)) continue;
          if (!supportsTaskTrigger(record.capabilities, task.trigger)) continue;
          const owner = engine.taskAssignments.get(task.id);
          if (owner !== undefined && owner !== '' && owner !== record.address) continue;
          due.push(task.id);
        }
        if (due.length === 0) return;
        const deadlineUs = opportunityUs + msToUs(due.length * c.sendTimeoutMs + 1000);
        view.wakeAt(deadlineUs, () => {
          if (!owes(view.engine(), record)) return;
          const owed = due.filter(
            (id) => view.db().get(id)?.status === 'active' && !record.sent.includes(id),
          );
          if (owed.length > 0) missing.set(record, { owed, sentSeen: -1, detail: null });
        });
      });
    });
    return missing;
  },
  (view, missing) => {
    if (missing.size === 0) return null;
    const engine = view.engine();
    for (const [record, entry] of missing) {
      if (!owes(engine, record)) {
        missing.delete(record);
        continue;
      }
      if (entry.sentSeen !== record.sent.length) {
        entry.sentSeen = record.sent.length;
        entry.detail = missingDetail(record, entry.owed);
      }
      if (entry.detail !== null) return entry.detail;
    }
    return null;
  },
);

/** What a judged connection was owed (I5), and its detail as of `sentSeen` entries of its log. */
interface Owed {
  readonly owed: readonly string[];
  sentSeen: number;
  detail: ViolationDetail | null;
}

/** I5 broken on `record`: the owed tasks it still has not got; null when it got them all. */
function missingDetail(record: ConnectionView, owed: readonly string[]): ViolationDetail | null {
  const left = owed.filter((id) => !record.sent.includes(id));
  if (left.length === 0) return null;
  const tasks = [...left].sort().join(', ');
  return {
    message: `operator ${record.address} reconnected as ${record.name} at ${(record.acceptedAtUs / 1e6).toFixed(3)}s, but ${left.length === 1 ? `task ${tasks} was` : `tasks ${tasks} were`} not sent on it by its first send opportunity`,
    entities: { operator: record.address, connection: record.name, task: tasks },
  };
}

/** "unless A reconnects again": a superseded or ended connection owes nothing. */
function owes(engine: EngineView | undefined, record: ConnectionView): engine is EngineView {
  return engine !== undefined && !record.exited && isNewest(engine, record);
}

const liveOwner = remembering(
  'live-owner',
  'I6: within 15s of a live, stabilized, approved, capable operator existing, every task is assigned to a live, approved, capable operator',
  (view) => {
    const memory: LiveOwnerMemory = { badSince: new Map(), lastOwner: new Map(), detail: null, judged: null };
    view.sample(msToUs(LIVE_OWNER_SAMPLE_MS), () => {
      const before = memory.detail;
      memory.detail = judgeLiveOwner(view, memory);
      // The checks need to run again only when this sample can change live-owner's verdict.
      return before !== null || memory.detail !== null;
    });
    return memory;
  },
  (_view, memory) => memory.detail,
);

interface LiveOwnerMemory {
  /** Since when each task lacks a live owner while a candidate exists. */
  readonly badSince: Map<string, number>;
  /** The operator each task was last seen assigned to: who lost it, when it has no owner now. */
  readonly lastOwner: Map<string, string>;
  detail: ViolationDetail | null;
  /** The last judgement of which tasks lack an owner, while its inputs stay the same. */
  judged: OwnerJudgement | null;
}

/** Which tasks lack a live owner, as of both sides' generations, valid until a connection stabilizes. */
interface OwnerJudgement {
  readonly aggregator: number;
  readonly operators: number;
  readonly validUntilUs: Micros;
  readonly bad: readonly {
    readonly task: string;
    readonly owner: string | undefined;
    readonly previousOwner: string | undefined;
    readonly candidates: string;
  }[];
}

/**
 * I6, sampled every second: a task without a live owner while a live candidate exists. Which
 * tasks those are is a function of the actors' state (both sides' generations: a crash, a
 * partition or a transport fault is a scenario step, which changes both) and of which live
 * connections have stabilized; between such changes only the time since each went bad moves.
 */
function judgeLiveOwner(view: AvaView, memory: LiveOwnerMemory): ViolationDetail | null {
  const { badSince } = memory;
  const engine = view.engine();
  if (engine === undefined) {
    badSince.clear();
    memory.judged = null;
    return null;
  }
  const now = view.now();
  let judged = memory.judged;
  if (
    judged === null ||
    judged.aggregator !== view.generation('aggregator') ||
    judged.operators !== view.generation('operators') ||
    now >= judged.validUntilUs
  )
    memory.judged = judged = judgeOwners(view, engine, memory);
  for (const { task, owner, previousOwner, candidates } of judged.bad) {
    const since = badSince.get(task) as number;
    if (now - since >= msToUs(LIVE_OWNER_GRACE_MS)) {
      const who = owner === undefined ? 'no operator' : `operator ${owner}, which is not live`;
      return {
        message: `task ${task} has been assigned to ${who} for ${((now - since) / 1e6).toFixed(0)}s while live operator ${candidates} could run it`,
        // Who lost it (an unassigned task), so its why can reach that operator's fault.
        entities: {
          task,
          ...(owner !== undefined ? { owner } : previousOwner !== undefined ? { previousOwner } : {}),
        },
      };
    }
  }
  return null;
}

/** The tasks that lack a live owner now (oldest first in task order), starting their clocks in `badSince`. */
function judgeOwners(view: AvaView, engine: EngineView, memory: LiveOwnerMemory): OwnerJudgement {
  const { badSince, lastOwner } = memory;
  const now = view.now();
  const stabilizedUs = msToUs(view.config.stabilizationMs);
  const newest = newestOf(view, engine);
  const live: ConnectionView[] = [];
  for (const address of view.seen.addressOrder) {
    const record = newest.get(address);
    if (record !== undefined && view.isApproved(record.address) && view.isLive(record)) live.push(record);
  }
  // The same for every task: only the capability test depends on the task.
  const stabilized = live.filter((r) => now - r.acceptedAtUs >= stabilizedUs);
  let validUntilUs = Infinity;
  for (const r of live)
    if (now - r.acceptedAtUs < stabilizedUs)
      validUntilUs = Math.min(validUntilUs, r.acceptedAtUs + stabilizedUs);
  const bad: OwnerJudgement['bad'][number][] = [];
  // "every T ∈ tasks": the aggregator's in-memory task map, which keeps a deleted task (E9) and
  // takes back a cancelled one that an operator reported (E10), not the DB's active rows.
  for (const task of engine.tasks.values()) {
    const candidates = stabilized.filter((r) => supportsTaskTrigger(r.capabilities, task.trigger));
    const owner = engine.taskAssignments.get(task.id);
    if (owner !== undefined) lastOwner.set(task.id, owner);
    const ownerOk =
      owner !== undefined &&
      live.some((r) => r.address === owner && supportsTaskTrigger(r.capabilities, task.trigger));
    if (candidates.length === 0 || ownerOk) {
      badSince.delete(task.id);
      continue;
    }
    if (!badSince.has(task.id)) badSince.set(task.id, now);
    bad.push({
      task: task.id,
      owner,
      previousOwner: lastOwner.get(task.id),
      candidates: candidates.map((c) => c.address).join(', '),
    });
  }
  // A task that left memory (cancelled) starts afresh if it comes back (E10's reload).
  for (const id of badSince.keys()) if (!engine.tasks.has(id)) badSince.delete(id);
  return {
    aggregator: view.generation('aggregator'),
    operators: view.generation('operators'),
    validUntilUs,
    bad,
  };
}

/** How far a check has read each connection's log of sends, and at which generation of the view. */
interface SendsSeen {
  readonly cursor: WeakMap<ConnectionView, number>;
  generation: number;
}

const sendsSeen = (): SendsSeen => ({ cursor: new WeakMap(), generation: -1 });

/**
 * The MonitorTaskTrigger Sends that returned ok since the last check, each with the index of its
 * entry in its connection's log. A send is a one-event violation: broken at the event of the
 * send, holding again at the next event.
 */
function newSends(
  view: AvaView,
  memory: SendsSeen,
  each: (record: ConnectionView, index: number) => void,
): void {
  const generation = view.generation('aggregator');
  if (memory.generation === generation) return; // nothing ran since the last look
  memory.generation = generation;
  const cursor = memory.cursor;
  const engine = view.engine();
  if (engine === undefined) return;
  for (const record of engine.connections.values()) {
    const from = cursor.get(record) ?? 0;
    if (from === record.sent.length) continue;
    for (let i = from; i < record.sent.length; i++) each(record, i);
    cursor.set(record, record.sent.length);
  }
}

// I7's "unless a Cancel/Delete cleared it" exempts nothing in practice: only a cancelled or
// deleted task is cleared that way, and the spec's table counts its re-send (E9) as an I7
// violation, so any second send on a connection is one (also a late E11 delivery + re-send).
const sendOncePerConnection = remembering(
  'send-once-per-connection',
  'I7: MonitorTaskTrigger(T) is sent at most once on a connection',
  sendsSeen,
  (view, memory) => {
    let detail: ViolationDetail | null = null;
    newSends(view, memory, (record, i) => {
      const taskId = record.sent[i] as string;
      if (record.sent.indexOf(taskId) === i) return;
      detail = {
        message: `MonitorTaskTrigger(${taskId}) sent a second time on connection ${record.name} of operator ${record.address}`,
        entities: { task: taskId, operator: record.address, connection: record.name },
      };
    });
    return detail;
  },
);

const approvedOnly = remembering(
  'approved-only',
  'I8: an unapproved operator receives no MonitorTaskTrigger',
  () => ({ seen: new WeakMap<OperatorView, number>(), generation: -1 }),
  (view, memory) => {
    const generation = view.generation('operators');
    if (memory.generation === generation) return null; // nothing ran since the last look
    memory.generation = generation;
    const seen = memory.seen;
    let detail: ViolationDetail | null = null;
    for (const process of view.operators()) {
      const { count, lastTask } = process.received;
      if ((seen.get(process) ?? 0) === count) continue;
      seen.set(process, count);
      const { address, node } = process.spec;
      if (view.isApproved(address)) continue;
      detail = {
        message: `unapproved operator ${address} (process ${node}) received MonitorTaskTrigger(${lastTask})`,
        entities: { operator: address, task: lastTask },
      };
    }
    return detail;
  },
);

/** Running processes that hold a local check for each task. */
function monitorsByTask(operators: readonly OperatorView[]): Map<string, string[]> {
  const monitors = new Map<string, string[]>();
  for (const process of operators)
    for (const taskId of process.localChecks.keys()) {
      const nodes = monitors.get(taskId);
      if (nodes === undefined) monitors.set(taskId, [process.spec.node]);
      else nodes.push(process.spec.node);
    }
  return monitors;
}

const singleMonitor = stateOnly('operators', {
  id: 'single-monitor',
  kind: 'safety',
  meaning: 'I9: at most one operator process holds a local check for a task',
  check: (view) => {
    for (const [taskId, nodes] of monitorsByTask(view.operators())) {
      if (nodes.length <= 1) continue;
      return {
        message: `task ${taskId} is monitored by ${nodes.length} operator processes (${[...nodes].sort().join(', ')})`,
        entities: { task: taskId, process: [...nodes].sort().join(', ') },
      };
    }
    return null;
  },
});

interface PendingCancel {
  readonly taskId: string;
  readonly op: string;
  /** Processes that monitored the task at the Cancel/Delete and still hold their check. */
  readonly nodes: Set<string>;
  readonly atUs: Micros;
  readonly lateAtUs: Micros;
}

const cancelReachesMonitors = remembering(
  'cancel-reaches-monitors',
  'I10: a Cancel/Delete of T reaches every process monitoring T within notificationBatch + 1s',
  () => ({ statusSeen: new Map<string, DbTask['status']>(), pending: [] as PendingCancel[], generation: -1 }),
  (view, memory, nowUs) => {
    const { statusSeen, pending } = memory;
    const generation = view.generation('aggregator') + view.generation('operators');
    const changed = memory.generation !== generation;
    memory.generation = generation;
    // A Cancel or Delete is a row of the DB turning `canceled` or `deleted`.
    for (const row of changed ? view.db().values() : []) {
      const before = statusSeen.get(row.id) ?? 'active';
      if (row.status === before) continue;
      statusSeen.set(row.id, row.status);
      if (row.status === 'active') continue;
      const nodes = monitorsByTask(view.operators()).get(row.id) ?? [];
      if (nodes.length === 0) continue;
      const op = row.status === 'canceled' ? 'CancelTask' : 'DeleteTask';
      const lateAtUs = nowUs + msToUs(view.config.notificationBatchMs + 1000);
      pending.push({ taskId: row.id, op, nodes: new Set(nodes), atUs: nowUs, lateAtUs });
      view.wakeAt(lateAtUs);
    }
    if (pending.length === 0) return null;
    // A process is reached once its check is gone (the Cancel removed it, or the process died).
    const operators = changed ? view.operators() : [];
    for (const entry of changed ? pending : [])
      for (const node of entry.nodes) {
        const process = operators.find((o) => o.spec.node === node);
        if (process === undefined || !process.localChecks.has(entry.taskId)) entry.nodes.delete(node);
      }
    for (let i = pending.length - 1; i >= 0; i--) {
      const entry = pending[i]!;
      if (entry.nodes.size === 0) {
        pending.splice(i, 1);
        continue;
      }
      if (entry.lateAtUs <= nowUs) {
        const nodes = [...entry.nodes].sort().join(', ');
        return {
          message: `${entry.op}(${entry.taskId}) at ${(entry.atUs / 1e6).toFixed(3)}s has not reached process ${nodes}, which still monitors the task`,
          entities: { task: entry.taskId, process: nodes },
        };
      }
    }
    return null;
  },
);

const noResendAfterDelete = remembering(
  'no-resend-after-delete',
  'I11: no deleted or cancelled task is ever (re)sent',
  sendsSeen,
  (view, memory) => {
    let detail: ViolationDetail | null = null;
    newSends(view, memory, (record, i) => {
      const taskId = record.sent[i] as string;
      const row = view.db().get(taskId);
      if (row === undefined || row.status === 'active') return;
      detail = {
        message: `task ${taskId} was ${row.status === 'canceled' ? 'cancelled' : 'deleted'}, yet MonitorTaskTrigger(${taskId}) was sent to operator ${record.address} on connection ${record.name}`,
        entities: { task: taskId, operator: record.address, connection: record.name },
      };
    });
    return detail;
  },
);

/** I1–I11, in the order they are checked after each event (and listed). */
export const avaInvariants: readonly AvaInvariant[] = [
  singleTicker,
  noEmptyAssignment,
  streamIsNewest,
  tickProgress,
  resyncAfterReconnect,
  liveOwner,
  sendOncePerConnection,
  approvedOnly,
  singleMonitor,
  cancelReachesMonitors,
  noResendAfterDelete,
];

/** Sets up, on a run's fresh view, what each invariant remembers over the run. */
export function startAvaInvariants(view: AvaView): void {
  for (const invariant of avaInvariants) invariant.start?.(view);
}
