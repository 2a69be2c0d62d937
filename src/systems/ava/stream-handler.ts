import type { Actor, ActorContext, StreamSendResult, TimerHandle } from '../../engine/index.js';
import { assert, assertNever, msToUs, US_PER_MS } from '../../engine/index.js';
import type { TaskSpec } from './cluster.js';
import type { Busy, ConnectionRecord } from './connection.js';
import { recordSent } from './connection.js';
import type { Engine, OperatorState } from './engine.js';
import type { StreamEndCode, SyncMessagesReq } from './messages.js';
import { monitorTaskTrigger, streamEnded } from './messages.js';
import { GoroutineParked } from './mutex.js';

/** `tickerCtx` of one connection: cancelling it wakes the handler's `select`. */
export interface TickerCtx {
  readonly connId: number;
  cancelled: boolean;
  cancel(): void;
}

export type HandlerInbox =
  | { type: 'tick' } // ticker.C
  | { type: 'immediate-send' } // HEAD's one-shot immediateSendTimer
  | { type: 'ctx-done' } // tickerCtx.Done()
  | { type: 'peer-gone' } // srv.Context().Done(), only when lazyDisconnectDetection is off
  | { type: 'send-timeout'; seq: number }; // time.After(sendTimeout) of send number `seq`

export interface HandlerParams {
  readonly connId: number;
  readonly streamId: number;
  /** The operator process at the other end (ground truth, for bookkeeping). */
  readonly node: string;
  readonly request: SyncMessagesReq;
}

type Phase = 'select' | 'sending' | 'parked' | 'exited';

/**
 * The goroutine's state machine: from `select` it runs a tick body (`sending`), returns
 * (`exited`) or parks inside a body; a body goes back to `select` or parks on a blocking Send;
 * a returning handler can still park in its deferred cleanup. A parked goroutine never runs again.
 */
const NEXT_PHASES: Readonly<Record<Phase, readonly Phase[]>> = {
  select: ['sending', 'exited', 'parked'],
  sending: ['select', 'parked'],
  exited: ['parked'],
  parked: [],
};

/**
 * One `StreamCheckToOperator` call (E@fix:L647-1061): the connect step, the ticker loop that
 * selects only on the ticker and the ticker ctx, the tick body, the deferred cleanup. Its
 * goroutine name (`c3`) is what holds or waits for assignmentMutex.
 */
export class StreamCheckToOperator implements Actor<HandlerInbox> {
  private readonly record: ConnectionRecord;
  private readonly address: string;
  private readonly goroutine: string;
  private readonly startedUs: number;
  private phase: Phase = 'select';
  private tickerCtx: TickerCtx | null = null;
  private tickPending = false;
  private ctxDone = false;
  private peerGone = false;
  private ticker: TimerHandle | null = null;
  private immediate: TimerHandle | null = null;
  private queue: TaskSpec[] = [];
  private sendIndex = 0;
  /** Sends started on this connection; names the one the body waits for. */
  private sendSeq = 0;
  /** The Send the body waits for (its goroutine and `time.After`), if it has not returned. */
  private awaiting: {
    readonly seq: number;
    readonly task: TaskSpec;
    readonly timer: TimerHandle | null;
  } | null = null;

  constructor(
    private readonly ctx: ActorContext<HandlerInbox>,
    private readonly engine: Engine,
    private readonly params: HandlerParams,
  ) {
    this.address = params.request.address;
    this.goroutine = `c${params.connId}`;
    this.startedUs = ctx.now();
    this.record = {
      id: params.connId,
      name: this.goroutine,
      address: this.address,
      node: params.node,
      streamId: params.streamId,
      acceptedAtUs: this.startedUs,
      capabilities: params.request.capabilities,
      cancelled: false,
      exited: false,
      parked: false,
      sent: [],
      busy: null,
    };
  }

  private get config() {
    return this.engine.config;
  }

  /** Read-only, for `check` steps and `state`: the connection's number (c<n>) and address. */
  get connectionId(): number {
    return this.params.connId;
  }

  get operatorAddress(): string {
    return this.address;
  }

  /** What this connection's stream carried, in order (`MonitorTaskTrigger(T1)`, `DeleteTask(T1)`): a mock stream's record. */
  readonly carried: string[] = [];

  /** Read-only: running (in its select loop or a tick body), parked for good, or exited. */
  get status(): 'running' | 'parked' | 'exited' {
    return this.phase === 'exited' ? 'exited' : this.phase === 'parked' ? 'parked' : 'running';
  }

  /** Read-only: its loop still runs a ticker (not exited or parked, its ticker ctx not cancelled). */
  get tickerLive(): boolean {
    return this.status === 'running' && this.tickerCtx?.cancelled !== true;
  }

  private get metrics() {
    return this.engine.truth.metrics;
  }

  /** Its process still runs it: a dead aggregator's goroutines do nothing (a late Send completion is dropped). */
  private get alive(): boolean {
    const sim = this.ctx.sim;
    return sim.isUp(this.ctx.node) && sim.incarnationOf(this.ctx.node) === this.ctx.incarnation;
  }

  private moveTo(next: Phase): void {
    if (!NEXT_PHASES[this.phase].includes(next))
      assert(false, 'a handler goroutine moves along its state machine', {
        connection: this.goroutine,
        from: this.phase,
        to: next,
      });
    this.phase = next;
  }

  /** The goroutine starts a part that tick-progress times (see Busy). */
  private startBusy(part: Busy['part'], sends = 0): void {
    this.record.busy = { part, sinceUs: this.ctx.now(), sends, parked: null };
  }

  onStart(): void {
    this.engine.connections.set(this.record.id, this.record);
    this.engine.truth.countAccept(this.address);
    const span = {
      span: `connection ${this.goroutine}`,
      track: `handler ${this.goroutine} (operator ${this.address})`,
      connection: this.goroutine,
      operator: this.address,
    };
    this.ctx.note('span-begin', `connection ${this.goroutine} of operator ${this.address}`, span);
    this.connectStep();
    const period = msToUs(this.config.tickerIntervalMs);
    this.ticker = this.ctx.every(period, { type: 'tick' });
    if (this.config.cadence === 'immediate')
      this.immediate = this.ctx.after(msToUs(this.config.stabilizationMs), { type: 'immediate-send' });
  }

  /** §4.2, atomic at t0, in the spec's order. */
  private connectStep(): void {
    const { request } = this.params;
    const engine = this.engine;
    // 1. operatorStreams[addr] = srv (L660): before any cancel, so an old cleanup can delete it (E1).
    engine.operatorStreams.set(this.address, { connId: this.params.connId, streamId: this.params.streamId });
    // 2. ctx_c
    if (this.config.tickerCtx) this.tickerCtx = this.makeTickerCtx();
    // 3. Create or reset the operator state. The existence check runs without the lock (L666)
    //    while `unlockedFirstConnectCheck` is on (FIXED; 1e7cc393 moved it under the lock): two
    //    first connects of one address in the same instant both see "absent", and the second
    //    overwrites the first's state, ctx included, without cancelling it (E6: two tickers).
    const previous = engine.trackSyncedTasks.get(this.address);
    const clock = request.monotonicClock;
    const now = this.ctx.now();
    const sawAbsent =
      previous === undefined ||
      (this.config.unlockedFirstConnectCheck && engine.firstConnectAtUs.get(this.address) === now);
    if (sawAbsent) {
      if (previous !== undefined) {
        const overwritten =
          previous.TickerCtx === null ? '' : ` (c${previous.TickerCtx.connId}'s ticker is not cancelled)`;
        this.ctx.note(
          'connect',
          `Simultaneous first connect of ${this.address}: ${this.goroutine} also found no state and overwrites it${overwritten}`,
          this.entities(),
        );
      }
      engine.trackSyncedTasks.set(this.address, {
        TaskID: new Set(),
        MonotonicClock: clock,
        Capabilities: request.capabilities,
        TickerCtx: this.tickerCtx,
      });
      engine.firstConnectAtUs.set(this.address, now);
      this.ctx.note(
        'connect',
        `New operator connected with capabilities: ${this.address} on ${this.goroutine} (clock ${clock})`,
        this.entities(),
      );
      return;
    }
    if (this.config.tickerCtx && previous.TickerCtx !== null && !previous.TickerCtx.cancelled) {
      this.ctx.note(
        'ticker',
        `Canceling old ticker for reconnected operator ${this.address} (c${previous.TickerCtx.connId})`,
        this.entities(),
      );
      previous.TickerCtx.cancel();
    }
    if (clock > previous.MonotonicClock) {
      this.reset(previous, true);
      previous.MonotonicClock = clock;
      this.ctx.note(
        'connect',
        `Operator ${this.address} reconnected on ${this.goroutine} with newer MonotonicClock ${clock} - resetting task tracking`,
        this.entities(),
      );
    } else if (this.config.clockReset) {
      this.reset(previous, true);
      this.ctx.note(
        'connect',
        `Force-resetting task tracking for reconnected operator ${this.address} on ${this.goroutine} (clock ${clock} <= ${previous.MonotonicClock})`,
        this.entities(),
      );
    } else {
      // BUG2 (PRE): "nothing is reset": TaskID kept, capabilities not updated. [inferred] With
      // the BUG1 switch on, the ctx still moves to this connection. All four fixes landed in one
      // commit (b819e7bc), so no upstream code had BUG1 fixed and BUG2 not; keeping the old ctx
      // would let c1's cleanup (its own ctx) reset the state and hide BUG2, so the clockReset
      // switch could not show BUG2 on its own.
      if (this.config.tickerCtx) previous.TickerCtx = this.tickerCtx;
      this.ctx.note(
        'connect',
        `Operator ${this.address} reconnected on ${this.goroutine} with clock ${clock} <= ${previous.MonotonicClock}: task tracking kept (${previous.TaskID.size} synced)`,
        this.entities(),
      );
    }
  }

  private reset(state: OperatorState, updateCaps: boolean): void {
    state.TaskID = new Set();
    if (updateCaps) state.Capabilities = this.params.request.capabilities;
    state.TickerCtx = this.tickerCtx;
  }

  private makeTickerCtx(): TickerCtx {
    const handler = this.ctx.sim.ref<HandlerInbox>(this.ctx.node, this.ctx.name);
    const metrics = this.metrics;
    const record = this.record;
    const ctx = this.ctx;
    return {
      connId: this.params.connId,
      cancelled: false,
      cancel(): void {
        if (this.cancelled) return;
        this.cancelled = true;
        if (!record.cancelled) {
          record.cancelled = true;
          metrics.handlersCancelled++;
        }
        // Done() becomes ready; the handler sees it at its next select, after the canceller's step.
        ctx.sim.send(handler, handler, { type: 'ctx-done' });
      },
    };
  }

  onMessage(message: HandlerInbox): void {
    switch (message.type) {
      case 'tick':
      case 'immediate-send':
        if (message.type === 'tick') this.metrics.ticks++;
        if (this.phase === 'select') return this.runTickBody(message.type === 'immediate-send');
        // Go 1.22 ticker channel holds one tick; later ones are dropped [runtime].
        if (this.phase === 'sending') this.tickPending = true;
        return;
      case 'ctx-done':
        this.ctxDone = true;
        if (this.phase === 'select') this.exit('nil', 'Ticker context canceled, stopping ticker loop');
        return;
      case 'peer-gone':
        this.peerGone = true;
        if (this.phase === 'select') this.exit('error', 'client went away (srv.Context done)');
        return;
      case 'send-timeout': {
        if (this.phase !== 'sending' || this.awaiting?.seq !== message.seq) return;
        const task = this.awaiting.task;
        this.awaiting = null;
        this.metrics.monitorSendTimeouts++;
        // The Send goroutine keeps running: on a stalled (not dead) stream it still delivers later (E11).
        this.ctx.note(
          'send',
          `Failed to send task ${task.id} to operator ${this.address} on ${this.goroutine}: timeout after ${this.config.sendTimeoutMs}ms (TaskID stays unset)`,
          { ...this.entities(), task: task.id },
        );
        if (this.config.anyErrorEndsHandler)
          return this.endBody('error', 'send timed out (any error ends the handler)');
        return this.sendNext();
      }
      default:
        return assertNever(message);
    }
  }

  // ---------------------------------------------------------------- tick body (§4.3)

  private runTickBody(immediate: boolean): void {
    assert(this.phase === 'select', 'a tick body starts from select', { connection: this.goroutine });
    const engine = this.engine;
    if (engine.shutdown) return this.exit('nil', 'aggregator shutting down');
    const ageMs = (this.ctx.now() - this.startedUs) / US_PER_MS;
    if (!immediate && ageMs < this.config.stabilizationMs) {
      this.ctx.note(
        'debug-ticker',
        `Waiting for connection ${this.goroutine} to stabilize before sending tasks (age ${ageMs.toFixed(0)}ms)`,
        this.entities(),
      );
      return;
    }
    if (!engine.canStreamCheck(this.address)) {
      this.ctx.note(
        'debug-ticker',
        `operator ${this.address} is not approved: ${this.goroutine} skips its tick`,
        this.entities(),
      );
      return;
    }
    this.metrics.tickBodies++;
    this.startBusy('tick body');
    this.queue = [];
    try {
      engine.reassignOrphanedTasks(this.goroutine);
      const tasks = engine.goMapOrder.shuffle([...engine.tasks.values()]);
      for (const task of tasks) this.consider(task);
    } catch (error) {
      if (error instanceof GoroutineParked) return this.park(error, 'tick body');
      throw error;
    }
    assert(
      engine.assignmentMutex.heldBy === null,
      'a tick body ends its in-memory steps with assignmentMutex free',
      {
        connection: this.goroutine,
      },
    );
    this.sendIndex = 0;
    this.moveTo('sending');
    this.record.busy = null;
    if (this.queue.length > 0) this.startBusy('sends', this.queue.length);
    if (this.queue.length > 0)
      this.ctx.note(
        'assign',
        `Task assignments for operator ${this.address} on ${this.goroutine}: ${this.queue.map((t) => t.id).join(', ')}`,
        this.entities(),
      );
    this.sendNext();
  }

  /** Steps 5a-5f for one task. */
  private consider(task: TaskSpec): void {
    const engine = this.engine;
    const state = engine.trackSyncedTasks.get(this.address);
    if (state?.TaskID.has(task.id) === true) return; // "Skipping task - already synced to operator"
    let reclaimed = false;
    if (this.config.reclaim !== 'none') {
      const current = engine.taskAssignments.get(task.id);
      if (current === undefined || current === '') {
        engine.assignmentMutex.lock(this.goroutine);
        engine.setAssignment(task.id, this.address);
        engine.assignmentMutex.unlock(this.goroutine);
        reclaimed = true;
        this.metrics.reclaims++;
        const previous = current === undefined ? 'no_assignment' : 'empty';
        this.ctx.note(
          'reclaim',
          `Reclaimed orphaned task ${task.id} for operator ${this.address} on ${this.goroutine} {"previous_assignment": "${previous}"}`,
          { ...this.entities(), task: task.id },
        );
      }
    }
    const owner =
      reclaimed && this.config.reclaim === 'reclaim+skip'
        ? this.address
        : engine.assignTaskToOperator(task, this.goroutine);
    if (owner !== this.address) {
      this.ctx.note(
        'debug-assign',
        `Skipping task ${task.id} - assigned to different operator (${owner === '' ? 'none' : owner}) on ${this.goroutine}`,
        { ...this.entities(), task: task.id },
      );
      return;
    }
    if (!engine.supportsTaskTrigger(this.address, task.trigger)) return; // the assignment stays with addr
    this.queue.push(task);
  }

  /** Step 6: one send after another, each in a goroutine raced against `time.After(sendTimeout)`. */
  private sendNext(): void {
    assert(
      this.phase === 'sending' && this.awaiting === null,
      'a Send starts while sending and awaiting none',
      {
        connection: this.goroutine,
        phase: this.phase,
      },
    );
    const engineRef = this.engine.ctx.ref;
    while (this.sendIndex < this.queue.length) {
      const task = this.queue[this.sendIndex++] as TaskSpec;
      const seq = ++this.sendSeq;
      const result = this.engine.transport.send(
        this.params.streamId,
        engineRef,
        monitorTaskTrigger(task.id, task.trigger, this.params.connId),
        (late) => this.sendReturned(seq, task, late),
      );
      if (result === 'ok') {
        this.sendSucceeded(task);
        continue;
      }
      if (result === 'closed') return this.sendFailed(task);
      // blocked (a half-open transport with full buffers: never completes) or stalled (completes
      // when the stall ends, see sendReturned).
      const timer =
        this.config.sendTimeoutMs > 0
          ? this.ctx.after(msToUs(this.config.sendTimeoutMs), { type: 'send-timeout', seq })
          : null;
      this.awaiting = { seq, task, timer };
      if (timer === null && result === 'blocked')
        return this.park(null, `blocking Send of ${task.id} (no send timeout)`);
      return;
    }
    this.endBody(null, '');
  }

  private sendSucceeded(task: TaskSpec): void {
    this.carried.push(`MonitorTaskTrigger(${task.id})`);
    // Looked up by address: it writes into whatever state is current, maybe a newer connection's (E7).
    this.engine.trackSyncedTasks.get(this.address)?.TaskID.add(task.id);
    recordSent(this.record, task.id, this.engine.truth);
    this.ctx.note(
      'send',
      `MonitorTaskTrigger(${task.id}) sent to operator ${this.address} on ${this.goroutine}`,
      { ...this.entities(), task: task.id },
    );
  }

  private sendFailed(task: TaskSpec): void {
    this.metrics.monitorSendsFailed++;
    this.ctx.note(
      'send',
      `Connection-level error detected, operator needs to reconnect: Send of ${task.id} on ${this.goroutine} failed: Unavailable`,
      { ...this.entities(), task: task.id },
    );
    this.endBody('error', 'send failed: Unavailable');
  }

  /**
   * A stalled Send returned (the stall ended). If the body still waits for it, the select takes
   * it as the Send's result. If its timeout already fired, the body has moved on: the message is
   * delivered anyway but TaskID is not marked, so the next tick sends T again (E11).
   */
  private sendReturned(seq: number, task: TaskSpec, result: StreamSendResult): void {
    if (!this.alive) return;
    const waiting =
      !this.record.exited && this.phase === 'sending' && this.awaiting?.seq === seq ? this.awaiting : null;
    if (waiting === null) {
      if (result === 'ok') this.lateSend(task);
      return;
    }
    if (result === 'blocked') {
      // The link went half-open meanwhile: the Send now never returns; its timeout (if any) still runs.
      if (waiting.timer === null) this.park(null, `blocking Send of ${task.id} (no send timeout)`);
      return;
    }
    if (waiting.timer !== null) this.ctx.cancel(waiting.timer);
    this.awaiting = null;
    if (result === 'closed') return this.sendFailed(task);
    this.sendSucceeded(task);
    this.sendNext();
  }

  private lateSend(task: TaskSpec): void {
    this.carried.push(`MonitorTaskTrigger(${task.id})`);
    recordSent(this.record, task.id, this.engine.truth);
    this.ctx.note(
      'send',
      `MonitorTaskTrigger(${task.id}) on ${this.goroutine} to operator ${this.address} delivered after its Send timed out (not marked synced)`,
      { ...this.entities(), task: task.id },
    );
  }

  /** The body is done (or ended the handler); back at `select`. */
  private endBody(exit: 'nil' | 'error' | null, reason: string): void {
    this.record.busy = null;
    this.moveTo('select');
    if (exit !== null) return this.exit(exit, reason);
    const done = this.ctxDone || this.peerGone;
    if (done && this.tickPending) {
      // Go select between a ready Done and a pending tick picks one at random [runtime].
      if (this.engine.goSelect.chance(0.5))
        return this.exit(this.ctxDone ? 'nil' : 'error', 'Ticker context canceled, stopping ticker loop');
      this.tickPending = false;
      this.ctx.note(
        'ticker',
        `${this.goroutine} runs one more tick body after its cancel (select picked the pending tick)`,
        this.entities(),
      );
      return this.runTickBody(false);
    }
    if (done)
      return this.exit(this.ctxDone ? 'nil' : 'error', 'Ticker context canceled, stopping ticker loop');
    if (this.tickPending) {
      this.tickPending = false;
      this.runTickBody(false);
    }
  }

  // ---------------------------------------------------------------- exit and cleanup (§4.4)

  private exit(ret: 'nil' | 'error', reason: string): void {
    this.moveTo('exited');
    this.awaiting = null;
    this.stopTimers();
    this.record.exited = true;
    this.metrics.handlerExits++;
    this.ctx.note(
      'handler',
      `handler ${this.goroutine} of operator ${this.address} exits (${ret === 'nil' ? 'returns nil' : 'returns an error'}): ${reason}`,
      this.entities(),
    );
    const engine = this.engine;
    const state = engine.trackSyncedTasks.get(this.address);
    // 1. Reset the shared state only if it is still ours (FIXED); PRE resets it unconditionally.
    if (state !== undefined) {
      if (!this.config.tickerCtx || state.TickerCtx === this.tickerCtx) {
        if (this.tickerCtx !== null) this.tickerCtx.cancelled = true;
        state.TaskID = new Set();
        state.MonotonicClock = 0;
        this.ctx.note(
          'handler',
          `Operator disconnecting, cleaning up state: ${this.address} (${this.goroutine})`,
          this.entities(),
        );
      } else {
        this.ctx.note(
          'handler',
          `Skipping ticker cancellation - newer connection exists (${this.goroutine}, operator ${this.address})`,
          this.entities(),
        );
      }
    }
    // 2. delete(operatorStreams, addr): unconditional in PRE/FIXED (E1); HEAD checks `== srv`.
    const entry = engine.operatorStreams.get(this.address);
    if (
      entry !== undefined &&
      (this.config.staleCleanupDeletesStream || entry.connId === this.params.connId)
    ) {
      engine.operatorStreams.delete(this.address);
      if (entry.connId !== this.params.connId) {
        this.metrics.staleStreamDeletes++;
        this.ctx.note(
          'stream',
          `cleanup of ${this.goroutine} deleted operatorStreams[${this.address}], which was the newer connection c${entry.connId}`,
          { ...this.entities(), newer: `c${entry.connId}` },
        );
      } else {
        this.ctx.note(
          'debug-stream',
          `cleanup of ${this.goroutine} deleted its own operatorStreams[${this.address}]`,
          this.entities(),
        );
      }
    }
    // 3. reassignOrphanedTasks()
    this.startBusy('deferred cleanup');
    try {
      engine.reassignOrphanedTasks(this.goroutine);
    } catch (error) {
      if (error instanceof GoroutineParked) return this.park(error, 'deferred cleanup');
      throw error;
    }
    this.record.busy = null;
    // The RPC returns: nil → the client's Recv gets io.EOF; an error → a status error [runtime].
    const code: StreamEndCode = ret === 'nil' ? 'EOF' : 'Unavailable';
    engine.transport.send(this.params.streamId, engine.ctx.ref, streamEnded(code)); // behind any stalled message
    engine.handlerReturned();
    this.ctx.note('span-end', `connection ${this.goroutine} of operator ${this.address}`, {
      span: `connection ${this.goroutine}`,
      track: `handler ${this.goroutine} (operator ${this.address})`,
      connection: this.goroutine,
      operator: this.address,
    });
    this.ctx.stop();
  }

  /** The goroutine parks for good: it never reaches `select` again, never returns. */
  private park(error: GoroutineParked | null, where: string): void {
    this.moveTo('parked');
    this.stopTimers();
    this.record.parked = true;
    this.metrics.deadlockedHandlers++;
    const holder = error?.holder ?? this.goroutine;
    const what =
      error === null
        ? where
        : error.selfDeadlock
          ? `assignmentMutex, which it already holds (self-deadlock in reassignOrphanedTasks → assignTaskToOperator)`
          : `assignmentMutex, held for good by ${error.holder}`;
    this.ctx.note(
      'deadlock',
      `${this.goroutine} (operator ${this.address}) blocked for good in its ${where} on ${what}`,
      { ...this.entities(), holder },
    );
    // What it waits for, on the part already being timed (its deadline stays).
    if (this.record.busy !== null) this.record.busy.parked = { where, waitsFor: what, holder };
  }

  private stopTimers(): void {
    if (this.ticker !== null) this.ctx.cancel(this.ticker);
    if (this.immediate !== null) this.ctx.cancel(this.immediate);
    this.ticker = null;
    this.immediate = null;
  }

  private entities(): Record<string, string> {
    return { operator: this.address, connection: this.goroutine };
  }
}
