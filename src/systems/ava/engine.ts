import type { Actor, ActorContext, ActorRef, Envelope, Rng } from '../../engine/index.js';
import { assert, assertNever, msToUs } from '../../engine/index.js';
import { canStreamCheck, supportsTaskTrigger } from './approval.js';
import type { Capabilities, TaskSpec, Trigger } from './cluster.js';
import type { AvaConfig } from './config.js';
import type { ConnectionRecord } from './connection.js';
import { recordSent } from './connection.js';
import type { GroundTruth } from './ground-truth.js';
import type { NotifyTriggersReq, SyncMessagesReq, TaskOperation } from './messages.js';
import { monitorTaskTrigger, streamEnded, taskOperation } from './messages.js';
import { ModelMutex } from './mutex.js';
import type { TickerCtx } from './stream-handler.js';
import { StreamCheckToOperator } from './stream-handler.js';
import type { AvaTransport } from './transport.js';

/** A task row of the aggregator's durable store (BadgerDB): survives an aggregator restart. */
export interface DbTask {
  readonly id: string;
  readonly trigger: Trigger;
  status: 'active' | 'canceled' | 'deleted';
}

/** What the Engine's process has around it: its durable DB, the transport, the naming of goroutines. */
export interface EngineDeps {
  readonly db: Map<string, DbTask>;
  readonly transport: AvaTransport;
  readonly truth: GroundTruth;
  /** Approved operator addresses (the config's `approved_operators`). */
  readonly approved: readonly string[];
  /** A fresh connection id: handler goroutines are named c1, c2, … over the whole run, restarts included. */
  readonly nextConnId: () => number;
}

/** [inferred] From Stop()'s last handler returning to the process exit (DB close, flushes). */
const STOP_TAIL_MS = 50;

/** `operatorState` (E@fix:L111-122). */
export interface OperatorState {
  TaskID: Set<string>;
  MonotonicClock: number;
  Capabilities: Capabilities;
  TickerCtx: TickerCtx | null;
}

/** What `operatorStreams[addr]` holds: the stream of one connection. */
export interface StreamEntry {
  readonly connId: number;
  readonly streamId: number;
}

export type EngineInbox = SyncMessagesReq | NotifyTriggersReq | { type: 'notify-batch' };

type PendingNotification = { readonly taskId: string; readonly op: TaskOperation['type'] };

/**
 * The aggregator's `Engine` (core/taskengine/engine.go): in-memory maps lost on restart, the
 * durable task store, the notification batcher, and one StreamCheckToOperator per accepted
 * connection. Handlers share this object the way goroutines share the Engine.
 */
export class Engine implements Actor<EngineInbox> {
  readonly tasks = new Map<string, TaskSpec>();
  readonly trackSyncedTasks = new Map<string, OperatorState>();
  /**
   * When each address's state was made by a first connect (§4.2 step 3, "absent"), µs: E6's
   * unlocked check lets another first connect of the same instant see "absent" too.
   */
  readonly firstConnectAtUs = new Map<string, number>();
  readonly operatorStreams = new Map<string, StreamEntry>();
  readonly taskAssignments = new Map<string, string>();
  assignmentRoundRobin = 0;
  readonly pendingNotifications = new Map<string, PendingNotification[]>();
  shutdown = false;
  /** Every handler this engine spawned, by connection number (what HEAD's streamsWG counts). */
  readonly handlers = new Map<number, StreamCheckToOperator>();
  readonly assignmentMutex = new ModelMutex('assignmentMutex');
  /** The SyncMessages RPCs this process accepted, by connection id (its handlers' records). */
  readonly connections = new Map<number, ConnectionRecord>();
  readonly db: Map<string, DbTask>;
  readonly transport: AvaTransport;
  readonly truth: GroundTruth;
  /** HEAD's `streamsWG.Wait()` in Stop(): what runs once every handler has returned. */
  private afterHandlersReturn: (() => void) | null = null;
  /** HEAD cooldown: last accepted connect per address (`operatorState.LastConnectTime`). */
  private readonly lastAcceptUs = new Map<string, number>();
  /** Go map iteration order and multi-ready `select`: the runtime's randomness [runtime]. */
  readonly goMapOrder: Rng;
  readonly goSelect: Rng;

  constructor(
    readonly ctx: ActorContext<EngineInbox>,
    private readonly deps: EngineDeps,
    readonly config: AvaConfig,
  ) {
    this.goMapOrder = ctx.random('go-map-order');
    this.goSelect = ctx.random('go-select');
    this.db = deps.db;
    this.transport = deps.transport;
    this.truth = deps.truth;
  }

  /** `MustStart`: load every Active task from the DB (L277); start the 3 s batcher. */
  onStart(): void {
    for (const row of this.db.values())
      if (row.status === 'active') this.tasks.set(row.id, { id: row.id, trigger: row.trigger });
    this.ctx.every(msToUs(this.config.notificationBatchMs), { type: 'notify-batch' });
    this.ctx.note('aggregator', `aggregator started with ${this.tasks.size} active task(s) from the DB`, {});
  }

  onMessage(message: EngineInbox, envelope: Readonly<Envelope>): void {
    switch (message.type) {
      case 'SyncMessagesReq':
        return this.accept(message, envelope.stream, envelope.from);
      case 'notify-batch':
        return this.sendBatchedNotifications();
      case 'NotifyTriggers':
        return this.aggregateChecksResultWithState(message);
      default:
        return assertNever(message);
    }
  }

  /**
   * `NotifyTriggers` → `AggregateChecksResultWithState` (L1234). Like SyncMessages it trusts
   * the declared address. It marks the task synced for that address (L1238-1240), whichever
   * process or connection reported, so a loser of E5 hides the task from the winner; and it
   * reloads a task missing from memory from the DB whatever its status (L1277-1278), so a
   * cancelled task whose Cancel was lost comes back and is streamed again (E10; the spec infers
   * this resurrection from the code path: [inferred]). The run itself
   * (`IsRunable`, model/task.go L156, no status check) is only noted. [inferred] an address
   * with no operatorState yet (e.g. after an aggregator restart) changes no TaskID.
   */
  private aggregateChecksResultWithState(request: NotifyTriggersReq): void {
    const { address, taskId } = request;
    this.truth.metrics.notifyTriggers++;
    this.trackSyncedTasks.get(address)?.TaskID.add(taskId);
    const row = this.db.get(taskId);
    if (row === undefined) return;
    if (!this.tasks.has(taskId)) {
      this.tasks.set(taskId, { id: taskId, trigger: row.trigger });
      this.truth.metrics.tasksReloaded++;
      this.ctx.note(
        'task',
        `NotifyTriggers from operator ${address}: task ${taskId} is not in memory; reloaded from the DB (status ${row.status})`,
        { task: taskId, operator: address },
      );
    }
    const stale =
      row.status === 'active'
        ? ''
        : ` although it is ${row.status === 'canceled' ? 'cancelled' : 'deleted'} (IsRunable checks no status)`;
    this.ctx.note(
      'trigger',
      `NotifyTriggers(${taskId}) from operator ${address}: task executed${stale}; TaskID[${taskId}] marked synced for ${address}`,
      { task: taskId, operator: address },
    );
  }

  /** `SyncMessages` (aggregator/rpc_server.go): no signature check; spawns the handler. */
  private accept(request: SyncMessagesReq, streamId: number, client: ActorRef): void {
    if (this.inCooldown(request.address)) {
      this.truth.metrics.connectionsRejected++;
      this.ctx.note(
        'connect',
        `connect of operator ${request.address} rejected: ResourceExhausted (cooldown)`,
        { operator: request.address },
      );
      this.ctx.sim.streamSend(streamId, this.ctx.ref, streamEnded('ResourceExhausted'));
      return;
    }
    this.lastAcceptUs.set(request.address, this.ctx.now());
    const connId = this.deps.nextConnId();
    assert(!this.connections.has(connId), 'a connection id is used once', { connId });
    const node = this.ctx.sim.nodeOf(client);
    this.ctx.spawn(`stream-${connId}`, (handlerCtx) => {
      const handler = new StreamCheckToOperator(handlerCtx, this, { connId, streamId, node, request });
      this.handlers.set(connId, handler);
      return handler;
    });
  }

  /**
   * HEAD's rate limit (E@head L1952-1971, ava errata 2): it runs only when the address already
   * has an operatorState, and rejects a connect within the cooldown of the last accepted one.
   * A first connect (no state) always passes, and so does one made in the same instant as the
   * first connect that created the state: concurrent with it, it checked before the state
   * existed (the E6 rule), so simultaneous first connects are all accepted, and each cancels
   * the one before at its connect step. The check and the timestamp share one lock, so
   * simultaneous reconnects of an address with state are not concurrent: the second waits.
   */
  private inCooldown(address: string): boolean {
    if (this.config.reconnectCooldownMs <= 0 || !this.trackSyncedTasks.has(address)) return false;
    const now = this.ctx.now();
    if (this.firstConnectAtUs.get(address) === now) return false;
    const last = this.lastAcceptUs.get(address);
    return last !== undefined && now - last < msToUs(this.config.reconnectCooldownMs);
  }

  // ---------------------------------------------------------------- assignment (§4.1)

  /** Go map iteration of operatorStreams: a fresh random order each time. */
  private streamAddresses(): string[] {
    return this.goMapOrder.shuffle([...this.operatorStreams.keys()].sort());
  }

  canStreamCheck(address: string): boolean {
    return canStreamCheck(this.deps.approved, address);
  }

  supportsTaskTrigger(address: string, trigger: Trigger): boolean {
    return supportsTaskTrigger(this.trackSyncedTasks.get(address)?.Capabilities, trigger);
  }

  /** `assignTaskToOperator` (L2628). `goroutine` names the caller, for the mutex. */
  assignTaskToOperator(task: TaskSpec, goroutine: string): string {
    const eligible = this.streamAddresses().filter(
      (a) => this.canStreamCheck(a) && this.supportsTaskTrigger(a, task.trigger),
    );
    if (eligible.length === 0) return ''; // no lock taken; the map is untouched
    this.assignmentMutex.lock(goroutine);
    assert(this.assignmentMutex.heldBy === goroutine, 'assignTaskToOperator holds assignmentMutex', {
      goroutine,
    });
    const current = this.taskAssignments.get(task.id);
    if (current !== undefined) {
      if (eligible.includes(current)) {
        this.assignmentMutex.unlock(goroutine);
        return current;
      }
      this.taskAssignments.delete(task.id);
    }
    const selected = eligible[this.assignmentRoundRobin % eligible.length] as string;
    this.assignmentRoundRobin++;
    this.setAssignment(task.id, selected);
    this.assignmentMutex.unlock(goroutine);
    assert(this.taskAssignments.get(task.id) === selected, 'the selected operator owns the task', {
      task: task.id,
      selected,
    });
    this.truth.metrics.assignments++;
    this.ctx.note('assign', `Round-robin task assignment: task ${task.id} → operator ${selected}`, {
      task: task.id,
      operator: selected,
    });
    return selected;
  }

  /**
   * `reassignOrphanedTasks` (L2666). With `reassignDeadlock` (PRE, FIXED) the mutex is held
   * until return, so an assign() that finds an eligible operator locks it a second time: the
   * calling goroutine parks for good (GoroutineParked propagates to its entry point).
   */
  reassignOrphanedTasks(goroutine: string): void {
    this.assignmentMutex.lock(goroutine);
    const active = new Set(this.operatorStreams.keys());
    const orphans: string[] = [];
    const entries = this.goMapOrder.shuffle(
      [...this.taskAssignments.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)),
    );
    for (const [taskId, owner] of entries) {
      if (active.has(owner)) continue;
      this.taskAssignments.delete(taskId);
      orphans.push(taskId);
    }
    if (orphans.length === 0 || active.size === 0) {
      this.assignmentMutex.unlock(goroutine);
      return;
    }
    this.ctx.note(
      'reassign',
      `Reassigning orphaned tasks {"orphaned_count": ${orphans.length}} (${orphans.join(', ')})`,
      { goroutine },
    );
    if (!this.config.reassignDeadlock) this.assignmentMutex.unlock(goroutine);
    for (const taskId of orphans) {
      const task = this.tasks.get(taskId);
      if (task !== undefined) this.assignTaskToOperator(task, goroutine);
    }
    if (this.config.reassignDeadlock) this.assignmentMutex.unlock(goroutine);
    assert(this.assignmentMutex.heldBy === null, 'reassignOrphanedTasks returns with assignmentMutex free', {
      goroutine,
    });
  }

  /** Every write to taskAssignments goes through here: only under assignmentMutex. */
  setAssignment(taskId: string, address: string): void {
    if (this.assignmentMutex.heldBy === null)
      assert(false, 'taskAssignments is written under assignmentMutex', { taskId, address });
    this.taskAssignments.set(taskId, address);
  }

  // ---------------------------------------------------------------- notifications (§4.5)

  /** `notifyOperatorsTaskOperation` (L1064): queue for every address that has T synced. */
  private notifyOperatorsTaskOperation(taskId: string, op: TaskOperation['type']): void {
    for (const [address, state] of this.trackSyncedTasks) {
      if (!state.TaskID.has(taskId)) continue;
      let queue = this.pendingNotifications.get(address);
      if (queue === undefined) {
        queue = [];
        this.pendingNotifications.set(address, queue);
      }
      queue.push({ taskId, op });
    }
  }

  /**
   * `sendBatchedNotifications` (L1104). A notification whose address has no stream, or whose
   * send fails or times out (500 ms), is dropped, not re-queued. The model drops a blocked one
   * at once rather than 500 ms later: nothing else depends on the instant.
   */
  private sendBatchedNotifications(): void {
    if (this.pendingNotifications.size === 0) return;
    const batch = [...this.pendingNotifications.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
    this.pendingNotifications.clear();
    for (const [address, queue] of this.goMapOrder.shuffle(batch)) {
      const entry = this.operatorStreams.get(address);
      for (const { taskId, op } of queue) {
        let result =
          entry === undefined
            ? 'no-stream'
            : this.transport.send(entry.streamId, this.ctx.ref, taskOperation(op, taskId));
        // A stalled stream: the Send completes when the stall ends, the message arrives then,
        // but if that is after the 500 ms timeout the notification already counted as failed (E11).
        if (result === 'stalled' && entry !== undefined)
          result =
            this.transport.stalledForUs(entry.streamId) < msToUs(this.config.notificationTimeoutMs)
              ? 'ok'
              : 'blocked';
        if (result === 'ok') {
          if (entry !== undefined) this.handlers.get(entry.connId)?.carried.push(`${op}(${taskId})`);
          this.trackSyncedTasks.get(address)?.TaskID.delete(taskId);
          this.truth.metrics.notificationsSent++;
          this.ctx.note('notify', `${op}(${taskId}) sent to operator ${address}`, {
            task: taskId,
            operator: address,
          });
        } else {
          this.truth.metrics.notificationsDropped++;
          const why =
            result === 'no-stream'
              ? 'not in operatorStreams'
              : result === 'closed'
                ? 'send failed: Unavailable'
                : 'send timed out (500ms)';
          this.ctx.note('notify', `${op}(${taskId}) for operator ${address} dropped: ${why}`, {
            task: taskId,
            operator: address,
          });
        }
      }
    }
  }

  /**
   * `engine.Stop()`: sets `shutdown`. From 1e7cc393 (HEAD, E@head L675-704) it also cancels
   * every operatorState's ticker ctx, collected under the lock and called after it, so every
   * handler returns nil at its next select and its operator reads end-of-stream at once. Before
   * (PRE, FIXED) a handler sees the flag only at its next tick. Returns the cancelled connections.
   */
  stop(): string[] {
    this.shutdown = true;
    if (!this.config.stopCancelsHandlers) return [];
    const cancels: TickerCtx[] = [];
    for (const address of this.goMapOrder.shuffle([...this.trackSyncedTasks.keys()].sort())) {
      const ticker = this.trackSyncedTasks.get(address)?.TickerCtx ?? null;
      if (ticker !== null && !ticker.cancelled) cancels.push(ticker);
    }
    for (const ticker of cancels) ticker.cancel();
    return cancels.map((t) => `c${t.connId}`);
  }

  /** Handlers that have not returned yet (HEAD's streamsWG count): running, or parked for good. */
  liveHandlers(): string[] {
    return [...this.handlers.values()].filter((h) => h.status !== 'exited').map((h) => `c${h.connectionId}`);
  }

  /**
   * HEAD's Stop() ends with `streamsWG.Wait()` (E@head L675-704): the process cannot go on to
   * close the DB and exit while a handler still runs, including one accepted after the SIGTERM
   * (nothing at connect reads `shutdown`; it returns at its first tick or immediate send).
   * Runs `then` once no handler is live: now if none is.
   */
  whenHandlersReturn(then: () => void): void {
    if (this.liveHandlers().length === 0) return then();
    this.afterHandlersReturn = then;
  }

  /** Called by a handler as its deferred cleanup finishes (`streamsWG.Done()`). */
  handlerReturned(): void {
    const then = this.afterHandlersReturn;
    if (then === null || this.liveHandlers().length > 0) return;
    this.afterHandlersReturn = null;
    // [inferred] Stop() returns, the batcher flushes and the DB closes before the process
    // exits: the last RPC's trailers (its operator's end-of-stream) leave first.
    this.ctx.sim.at(this.ctx.now() + msToUs(STOP_TAIL_MS), then);
  }

  // ---------------------------------------------------------------- task API

  /** `CreateTask` (L628): DB, then memory. HEAD (7d118ce8) also pushes it to every stream. */
  createTask(task: TaskSpec): void {
    this.db.set(task.id, { id: task.id, trigger: task.trigger, status: 'active' });
    this.tasks.set(task.id, task);
    this.ctx.note('task', `task ${task.id} (${task.trigger}) created`, { task: task.id });
    if (this.config.broadcastOnCreate) this.broadcastNewTask(task);
  }

  /** [inferred] a successful broadcast send marks the task synced, as the ticker path does. */
  private broadcastNewTask(task: TaskSpec): void {
    for (const address of this.streamAddresses()) {
      if (!this.canStreamCheck(address) || !this.supportsTaskTrigger(address, task.trigger)) continue;
      const entry = this.operatorStreams.get(address) as StreamEntry;
      const record = this.connections.get(entry.connId);
      // [inferred] a stalled broadcast Send is given up on (not marked synced) and arrives later.
      const result = this.transport.send(
        entry.streamId,
        this.ctx.ref,
        monitorTaskTrigger(task.id, task.trigger, entry.connId),
      );
      if (result !== 'ok' || record === undefined) continue;
      this.handlers.get(entry.connId)?.carried.push(`MonitorTaskTrigger(${task.id})`);
      this.trackSyncedTasks.get(address)?.TaskID.add(task.id);
      recordSent(record, task.id, this.truth);
      this.ctx.note(
        'send',
        `MonitorTaskTrigger(${task.id}) broadcast to operator ${address} on ${record.name}`,
        { task: task.id, operator: address, connection: record.name },
      );
    }
  }

  /** `CancelTaskByUser` (L2237): status, delete from memory (L2268), notify. */
  cancelTask(taskId: string): void {
    const row = this.db.get(taskId);
    if (row === undefined || row.status !== 'active')
      return this.ctx.note('task', `cancel of task ${taskId} ignored: not active`, { task: taskId });
    row.status = 'canceled';
    this.tasks.delete(taskId);
    this.ctx.note('task', `task ${taskId} cancelled`, { task: taskId });
    this.notifyOperatorsTaskOperation(taskId, 'CancelTask');
  }

  /** `DeleteTaskByUser` (L2202): does NOT delete from `tasks` (E9) unless the switch is off. */
  deleteTask(taskId: string): void {
    const row = this.db.get(taskId);
    if (row === undefined || row.status === 'deleted')
      return this.ctx.note('task', `delete of task ${taskId} ignored: unknown`, { task: taskId });
    row.status = 'deleted';
    if (!this.config.deleteKeepsTaskInMemory) this.tasks.delete(taskId);
    this.ctx.note(
      'task',
      `task ${taskId} deleted${this.config.deleteKeepsTaskInMemory ? ' (still in the in-memory tasks map)' : ''}`,
      { task: taskId },
    );
    this.notifyOperatorsTaskOperation(taskId, 'DeleteTask');
  }
}
