import type {
  ActorRef,
  Message,
  Micros,
  Simulation,
  StreamSendResult,
  ViolationDetail,
} from '../../engine/index.js';
import { msToUs } from '../../engine/index.js';
import { supportsTaskTrigger } from './approval.js';
import type { AvaCluster, Capabilities, OperatorSpec, Trigger } from './cluster.js';
import type { AvaConfig } from './config.js';

/** A task row of the aggregator's durable store (BadgerDB): survives an aggregator restart. */
export interface DbTask {
  readonly id: string;
  readonly trigger: Trigger;
  status: 'active' | 'canceled' | 'deleted';
}

/** One accepted SyncMessages RPC (one StreamCheckToOperator), as it really is. */
export interface ConnectionRecord {
  readonly id: number;
  /** `c3`: how notes and violations name it. */
  readonly name: string;
  readonly address: string;
  /** The operator process that dialled it. */
  readonly node: string;
  readonly streamId: number;
  readonly acceptedAtUs: Micros;
  readonly capabilities: Capabilities;
  cancelled: boolean;
  exited: boolean;
  /** Parked for good on assignmentMutex (or a blocking Send): never returns. */
  parked: boolean;
  /** MonitorTaskTrigger sends that returned ok on this connection. */
  readonly sent: Set<string>;
}

/** What an operator process reports to the bookkeeping (implemented by operator.ts). */
export interface OperatorView {
  readonly spec: OperatorSpec;
  currentStream(): number | null;
  /** The transport of its current stream died in a way the process notices (reset, FIN). */
  transportLost(streamId: number): void;
  /** Dial now (a timeline `connect`). */
  dial(clock: ClockChoice): void;
}

/** How a `connect` picks its MonotonicClock (CONTRACT §5). */
export type ClockChoice = number | 'same' | 'lower' | 'next';

/** A goroutine whose progress is being timed (tick-progress). */
interface InFlight {
  readonly deadlineUs: Micros;
  readonly detail: ViolationDetail;
}

/**
 * A stalled stream (`stall` action): the link is up but the operator side does not drain it
 * (HTTP/2 flow-control window full, a slow peer), so a Send blocks until the stall ends and
 * then completes. Sends made meanwhile queue behind it, in order.
 */
interface Stall {
  readonly untilUs: Micros;
  readonly queued: {
    readonly from: ActorRef;
    readonly message: Message;
    readonly done: ((result: StreamSendResult) => void) | null;
  }[];
}

/** What a Send on a stream does now: the engine's results, or `stalled` (completes later). */
export type AvaSendResult = StreamSendResult | 'stalled';

interface PendingCancel {
  readonly taskId: string;
  readonly op: string;
  readonly nodes: Set<string>;
  readonly atUs: Micros;
  late: boolean;
}

/**
 * Ground truth and bookkeeping shared by the model's actors and its invariants: connections as
 * they really are, operator processes' local checks, metrics. It lives outside the simulated
 * processes, so it survives crashes; nothing in the aggregator reads it to make a decision.
 */
export class AvaWorld {
  readonly connections: ConnectionRecord[] = [];
  readonly connByStream = new Map<number, ConnectionRecord>();
  readonly newestByAddress = new Map<string, number>();
  readonly operators = new Map<string, OperatorView>();
  /** MonotonicClock each process last sent (for `same`/`lower`). */
  readonly lastClock = new Map<string, number>();
  /** Clock a `connect` asked for, taken by the process when it starts. */
  readonly pendingClock = new Map<string, ClockChoice>();
  db: Map<string, DbTask> = new Map();
  /** Aggregator incarnation whose handlers are alive. */
  aggregatorUp = false;

  // ---- indexes read by the safety invariants after every event
  readonly uncancelledByAddress = new Map<string, Set<number>>();
  /** Addresses with more than one uncancelled handler: I1's check looks further only when > 0. */
  multiTickerAddresses = 0;
  readonly monitors = new Map<string, Set<string>>();
  readonly multiMonitored = new Set<string>();
  readonly inFlight = new Map<string, InFlight>();
  earliestDeadlineUs = Number.POSITIVE_INFINITY;
  readonly resyncMissing = new Map<number, Set<string>>();
  readonly pendingCancels: PendingCancel[] = [];
  liveOwnerDetail: ViolationDetail | null = null;
  /** Set while taskAssignments maps some task to "" (I2; nothing in the code writes it). */
  emptyAssignment: ViolationDetail | null = null;
  streamsDirty = true;
  private readonly stalls = new Map<number, Stall>();
  /** One-event violations (a send that must not happen): invariant id → detail. */
  readonly eventViolations = new Map<string, ViolationDetail>();

  readonly metrics = {
    connectionsAccepted: 0,
    connectionsRejected: 0,
    reconnections: 0,
    dials: 0,
    ticks: 0,
    tickBodies: 0,
    monitorSends: 0,
    monitorSendsFailed: 0,
    monitorSendTimeouts: 0,
    tasksSynced: 0,
    notificationsSent: 0,
    notificationsDropped: 0,
    reclaims: 0,
    assignments: 0,
    handlersCancelled: 0,
    handlerExits: 0,
    staleStreamDeletes: 0,
    deadlockedHandlers: 0,
    operatorStops: 0,
    duplicateTimeJobs: 0,
    lateDeliveries: 0,
    triggerFirings: 0,
    notifyTriggers: 0,
    tasksReloaded: 0,
  };

  private readonly approvedLower: Set<string>;
  private readonly addressesSeen = new Set<string>();

  constructor(
    readonly sim: Simulation,
    readonly cluster: AvaCluster,
    readonly config: AvaConfig,
  ) {
    this.approvedLower = new Set(
      cluster.operators.filter((o) => o.approved).map((o) => o.address.toLowerCase()),
    );
  }

  get approvedAddresses(): string[] {
    return this.cluster.operators.filter((o) => o.approved).map((o) => o.address);
  }

  /** Ground truth of approval (the config list), for approved-only. */
  isApproved(address: string): boolean {
    return this.approvedLower.has(address.toLowerCase());
  }

  // ---------------------------------------------------------------- connections

  onAccept(record: ConnectionRecord): void {
    this.connections.push(record);
    this.connByStream.set(record.streamId, record);
    const previous = this.newestByAddress.get(record.address);
    if (previous !== undefined) this.resyncMissing.delete(previous);
    this.newestByAddress.set(record.address, record.id);
    this.metrics.connectionsAccepted++;
    if (this.addressesSeen.has(record.address)) this.metrics.reconnections++;
    this.addressesSeen.add(record.address);
    this.addUncancelled(record.address, record.id);
    this.streamsDirty = true;
    this.scheduleResyncJudgement(record);
  }

  onCancelled(record: ConnectionRecord): void {
    if (record.cancelled) return;
    record.cancelled = true;
    this.metrics.handlersCancelled++;
    this.removeUncancelled(record.address, record.id);
  }

  onExit(record: ConnectionRecord): void {
    record.exited = true;
    this.metrics.handlerExits++;
    this.removeUncancelled(record.address, record.id);
    this.resyncMissing.delete(record.id);
    this.streamsDirty = true;
  }

  onParked(record: ConnectionRecord): void {
    record.parked = true;
    this.metrics.deadlockedHandlers++;
  }

  /** The aggregator process is gone: so are its handlers (goroutines) and their timings. */
  onAggregatorDown(): void {
    this.aggregatorUp = false;
    for (const record of this.connections) {
      if (!record.exited) {
        record.exited = true;
        this.resyncMissing.delete(record.id);
      }
    }
    this.uncancelledByAddress.clear();
    this.multiTickerAddresses = 0;
    this.inFlight.clear();
    this.earliestDeadlineUs = Number.POSITIVE_INFINITY;
    this.streamsDirty = true;
  }

  private addUncancelled(address: string, id: number): void {
    let set = this.uncancelledByAddress.get(address);
    if (set === undefined) {
      set = new Set();
      this.uncancelledByAddress.set(address, set);
    }
    if (set.has(id)) return;
    set.add(id);
    if (set.size === 2) this.multiTickerAddresses++;
  }

  private removeUncancelled(address: string, id: number): void {
    const set = this.uncancelledByAddress.get(address);
    if (set === undefined || !set.delete(id)) return;
    if (set.size === 1) this.multiTickerAddresses--;
  }

  // ---------------------------------------------------------------- stalled streams (E11)

  /** The stream stops draining for `forMs`: Sends block until then, and complete then. */
  stall(streamId: number, forMs: number): void {
    const untilUs = this.sim.now() + msToUs(forMs);
    const existing = this.stalls.get(streamId);
    if (existing !== undefined && existing.untilUs >= untilUs) return;
    const stall: Stall = { untilUs, queued: existing?.queued ?? [] };
    this.stalls.set(streamId, stall);
    this.sim.at(untilUs, () => this.endStall(streamId, stall));
  }

  /** Remaining stall of a stream, µs (0 = it drains). */
  stalledForUs(streamId: number): Micros {
    const stall = this.stalls.get(streamId);
    return stall === undefined ? 0 : Math.max(0, stall.untilUs - this.sim.now());
  }

  /**
   * `srv.Send` as the aggregator sees it. On a stalled stream the message waits (in order) and
   * `done` is told the real outcome when the stall ends; the caller decides whether it still
   * waits for it (no timeout) or already gave up (its timeout fired: E11, the Send completes
   * anyway and the message arrives late).
   */
  send(
    streamId: number,
    from: ActorRef,
    message: Message,
    done: ((result: StreamSendResult) => void) | null = null,
  ): AvaSendResult {
    const stall = this.stalls.get(streamId);
    if (stall === undefined || this.sim.streamState(streamId) === 'closed')
      return this.sim.streamSend(streamId, from, message);
    stall.queued.push({ from, message, done });
    return 'stalled';
  }

  private endStall(streamId: number, stall: Stall): void {
    if (this.stalls.get(streamId) !== stall) return; // extended by a later stall
    this.stalls.delete(streamId);
    for (const { from, message, done } of stall.queued) {
      const result = this.sim.streamSend(streamId, from, message);
      if (result === 'ok') this.metrics.lateDeliveries++;
      done?.(result);
    }
  }

  // ---------------------------------------------------------------- sends and receipts

  onMonitorSent(record: ConnectionRecord, taskId: string): void {
    this.metrics.monitorSends++;
    this.metrics.tasksSynced++;
    const row = this.db.get(taskId);
    if (row !== undefined && row.status !== 'active') {
      this.eventViolations.set('no-resend-after-delete', {
        message: `task ${taskId} was ${row.status === 'canceled' ? 'cancelled' : 'deleted'}, yet MonitorTaskTrigger(${taskId}) was sent to operator ${record.address} on connection ${record.name}`,
        entities: { task: taskId, operator: record.address, connection: record.name },
      });
    }
    if (record.sent.has(taskId)) {
      this.eventViolations.set('send-once-per-connection', {
        message: `MonitorTaskTrigger(${taskId}) sent a second time on connection ${record.name} of operator ${record.address}`,
        entities: { task: taskId, operator: record.address, connection: record.name },
      });
    }
    record.sent.add(taskId);
    this.resyncMissing.get(record.id)?.delete(taskId);
  }

  onMonitorReceived(node: string, address: string, taskId: string): void {
    if (!this.isApproved(address)) {
      this.eventViolations.set('approved-only', {
        message: `unapproved operator ${address} (process ${node}) received MonitorTaskTrigger(${taskId})`,
        entities: { operator: address, task: taskId },
      });
    }
  }

  monitorAdded(taskId: string, node: string): void {
    let set = this.monitors.get(taskId);
    if (set === undefined) {
      set = new Set();
      this.monitors.set(taskId, set);
    }
    set.add(node);
    if (set.size > 1) this.multiMonitored.add(taskId);
  }

  monitorRemoved(taskId: string, node: string): void {
    const set = this.monitors.get(taskId);
    if (set === undefined) return;
    set.delete(node);
    if (set.size <= 1) this.multiMonitored.delete(taskId);
  }

  onCancelReceived(taskId: string, node: string): void {
    for (const pending of this.pendingCancels) if (pending.taskId === taskId) pending.nodes.delete(node);
  }

  /** An operator process is gone: its local checks with it. */
  onProcessDown(node: string): void {
    for (const [taskId, set] of this.monitors) if (set.has(node)) this.monitorRemoved(taskId, node);
    for (const pending of this.pendingCancels) pending.nodes.delete(node);
  }

  // ---------------------------------------------------------------- progress (tick-progress)

  bodyStarted(key: string, deadlineUs: Micros, detail: ViolationDetail): void {
    this.inFlight.set(key, { deadlineUs, detail });
    if (deadlineUs < this.earliestDeadlineUs) this.earliestDeadlineUs = deadlineUs;
    // An event at the deadline, so the check runs then even in a quiet run.
    if (Number.isFinite(deadlineUs)) this.sim.at(Math.max(deadlineUs, this.sim.now()), () => undefined);
  }

  /** A parked goroutine: same deadline, a message that names what it waits for. */
  describeStuck(key: string, detail: ViolationDetail): void {
    const entry = this.inFlight.get(key);
    if (entry !== undefined) this.inFlight.set(key, { deadlineUs: entry.deadlineUs, detail });
  }

  bodyEnded(key: string): void {
    if (!this.inFlight.delete(key)) return;
    let earliest = Number.POSITIVE_INFINITY;
    for (const entry of this.inFlight.values()) if (entry.deadlineUs < earliest) earliest = entry.deadlineUs;
    this.earliestDeadlineUs = earliest;
  }

  overdueBody(nowUs: Micros): ViolationDetail | null {
    if (this.earliestDeadlineUs > nowUs) return null;
    for (const entry of this.inFlight.values()) if (entry.deadlineUs <= nowUs) return entry.detail;
    return null;
  }

  // ---------------------------------------------------------------- resync-after-reconnect (I5)

  /**
   * I5 names the tasks a connection must get by looking at the owners *at its first send
   * opportunity*, 1 µs after its tick body has reclaimed and assigned (a task that body itself
   * round-robins to another operator is "owned elsewhere"), then allows one send timeout per
   * such task (+1 s). A task owned elsewhere then and moved to this operator later (e.g. by
   * another connection's cleanup) is exempt: judging owners at the deadline instead flagged
   * HEAD for a task moved to A after A's one-shot immediate send (fuzz head seed 167), which I5
   * does not promise (docs/ava.md: at HEAD it waits for the 15 min tick).
   */
  private scheduleResyncJudgement(record: ConnectionRecord): void {
    const c = this.config;
    const firstMs =
      c.cadence === 'immediate'
        ? c.stabilizationMs
        : Math.max(1, Math.ceil(c.stabilizationMs / c.tickerIntervalMs)) * c.tickerIntervalMs;
    const opportunityUs = record.acceptedAtUs + msToUs(firstMs);
    this.sim.at(opportunityUs + 1, () => {
      const due = this.resyncDue(record);
      if (due.size === 0) return;
      const deadlineUs = opportunityUs + msToUs(due.size * c.sendTimeoutMs + 1000);
      this.sim.at(deadlineUs, () => this.judgeResync(record, due));
    });
  }

  /** Filled in by the engine (its belief of owners), read only here. */
  ownerOf: (taskId: string) => string | undefined = () => undefined;

  /** Active tasks the connection is owed now: A capable, owner A or nobody, not sent yet. */
  private resyncDue(record: ConnectionRecord): Set<string> {
    const due = new Set<string>();
    if (record.exited || this.newestByAddress.get(record.address) !== record.id) return due;
    if (!this.isApproved(record.address) || !this.aggregatorUp) return due;
    for (const task of this.db.values()) {
      if (task.status !== 'active' || record.sent.has(task.id)) continue;
      if (!supportsTaskTrigger(record.capabilities, task.trigger)) continue;
      const owner = this.ownerOf(task.id);
      if (owner !== undefined && owner !== '' && owner !== record.address) continue;
      due.add(task.id);
    }
    return due;
  }

  private judgeResync(record: ConnectionRecord, due: Set<string>): void {
    // "unless A reconnects again": a superseded or ended connection owes nothing.
    if (record.exited || this.newestByAddress.get(record.address) !== record.id) return;
    const missing = new Set(
      [...due].filter((id) => this.db.get(id)?.status === 'active' && !record.sent.has(id)),
    );
    if (missing.size > 0) this.resyncMissing.set(record.id, missing);
  }

  // ---------------------------------------------------------------- cancel-reaches-monitors (I10)

  onTaskStopped(taskId: string, op: string): void {
    const nodes = new Set(this.monitors.get(taskId) ?? []);
    if (nodes.size === 0) return;
    const pending: PendingCancel = { taskId, op, nodes, atUs: this.sim.now(), late: false };
    this.pendingCancels.push(pending);
    this.sim.at(this.sim.now() + msToUs(this.config.notificationBatchMs + 1000), () => {
      pending.late = true;
    });
  }

  lateCancel(): ViolationDetail | null {
    for (let i = this.pendingCancels.length - 1; i >= 0; i--) {
      const pending = this.pendingCancels[i]!;
      if (pending.nodes.size === 0) {
        this.pendingCancels.splice(i, 1);
        continue;
      }
      if (pending.late) {
        const nodes = [...pending.nodes].sort().join(', ');
        return {
          message: `${pending.op}(${pending.taskId}) at ${(pending.atUs / 1e6).toFixed(3)}s has not reached process ${nodes}, which still monitors the task`,
          entities: { task: pending.taskId, process: nodes },
        };
      }
    }
    return null;
  }
}
