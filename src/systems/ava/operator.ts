import type { Actor, ActorContext, ActorRef, Envelope, Rng, TimerHandle } from '../../engine/index.js';
import { assert, assertNever, msToUs, US_PER_S } from '../../engine/index.js';
import type { ClockChoice, DialClocks } from './clocks.js';
import type { OperatorSpec, Trigger } from './cluster.js';
import type { AvaConfig } from './config.js';
import type { EngineInbox } from './engine.js';
import type { GroundTruth } from './ground-truth.js';
import type { OperatorInbound, StreamEndCode } from './messages.js';
import { notifyTriggersReq, syncMessagesReq } from './messages.js';

export type OperatorInbox = OperatorInbound | { type: 'dial' } | { type: 'fire-all' };

/**
 * The clock of a dial: a scripted `connect` says which (CONTRACT §5); the process's own dials
 * (first connect, restart, retry) send `now().Unix()` (W@fix L433, L448), `wall` here, which
 * equals the last one when a restart falls in the same second (spec §1.3).
 */
type DialClock = ClockChoice | 'wall';

/** Unix seconds at simulated time 0: MonotonicClock = wall-clock seconds at each attempt. */
const EPOCH_S = 1_750_000_000;

/** HEAD operator backoff (W@head L33-48): 1 s doubling, capped at 60 s, +≤25 % jitter. */
const BACKOFF_BASE_MS = 1000;
const BACKOFF_CAP_MS = 60_000;
const BACKOFF_RESET_AFTER_MS = 120_000;

export interface LocalCheck {
  readonly trigger: Trigger;
  /** gocron jobs scheduled for it: >1 after a duplicate MonitorTaskTrigger (time triggers). */
  jobs: number;
}

/**
 * An operator process (operator/worker_loop.go `StreamMessages`): dials SyncMessages with its
 * MonotonicClock, adds and removes local checks, and reconnects the way its era does. Local
 * checks survive reconnects and die with the process.
 */
export class OperatorProcess implements Actor<OperatorInbox> {
  private readonly checks = new Map<string, LocalCheck>();
  /** MonitorTaskTrigger messages this process took from its stream, and the task of the last one. */
  private receipts = 0;
  private lastReceipt = '';
  private stream: number | null = null;
  private dialedAtUs = 0;
  private retry: TimerHandle | null = null;
  private backoffAttempt = 0;
  private readonly jitter: Rng;

  constructor(
    private readonly ctx: ActorContext<OperatorInbox>,
    readonly spec: OperatorSpec,
    private readonly clocks: DialClocks,
    private readonly truth: GroundTruth,
    private readonly config: AvaConfig,
    private readonly aggregator: ActorRef<EngineInbox>,
  ) {
    this.jitter = ctx.random('backoff-jitter');
  }

  onStart(): void {
    const pending = this.clocks.takeOnStart(this.spec.node);
    // [inferred] a process with local checks fires them every triggerInterval (0: only on `fire-trigger`).
    if (this.config.triggerIntervalMs > 0)
      this.ctx.every(msToUs(this.config.triggerIntervalMs), { type: 'fire-all' });
    if (pending !== undefined) return this.dial(pending);
    if (this.ctx.incarnation > 0) return this.dial('wall'); // a restarted process dials at once
    if (this.spec.connectAtMs !== null)
      this.retry = this.ctx.after(msToUs(this.spec.connectAtMs), { type: 'dial' });
  }

  currentStream(): number | null {
    return this.stream;
  }

  /** Its local checks, by task (what an invariant reads; the process's own map). */
  get localChecks(): ReadonlyMap<string, Readonly<LocalCheck>> {
    return this.checks;
  }

  /** How many MonitorTaskTrigger it took from its stream, and for which task the last time. */
  get received(): { readonly count: number; readonly lastTask: string } {
    return { count: this.receipts, lastTask: this.lastReceipt };
  }

  /** CONNECTING (W@fix L433-451): a new SyncMessages stream with the clock of this attempt. */
  dial(choice: DialClock): void {
    if (this.retry !== null) this.ctx.cancel(this.retry);
    this.retry = null;
    const sim = this.ctx.sim;
    if (!sim.isUp(sim.nodeOf(this.aggregator))) {
      this.ctx.note(
        'operator',
        `operator ${this.spec.address} (${this.spec.node}) cannot reach the aggregator; retrying in ${this.config.operatorRetryDelayMs / 1000}s`,
        this.entities(),
      );
      this.scheduleRetry(this.config.operatorRetryDelayMs);
      return;
    }
    const clock = this.clockFor(choice);
    this.clocks.sent(this.spec.node, clock);
    this.truth.metrics.dials++;
    // The old stream, if any, is abandoned as it is: a silently dead transport stays half-open.
    this.stream = sim.openStream(this.ctx.ref, this.aggregator);
    this.dialedAtUs = this.ctx.now();
    sim.streamSend(
      this.stream,
      this.ctx.ref,
      syncMessagesReq(this.spec.address, clock, this.spec.capabilities),
    );
    this.ctx.note(
      'operator',
      `operator ${this.spec.address} (${this.spec.node}) dials SyncMessages with MonotonicClock ${clock}`,
      this.entities(),
    );
  }

  private clockFor(choice: DialClock): number {
    const wall = EPOCH_S + Math.floor(this.ctx.now() / US_PER_S);
    const last = this.clocks.lastSent(this.spec.node);
    if (typeof choice === 'number') return choice;
    if (choice === 'wall') return wall;
    if (choice === 'same') return last ?? wall;
    if (choice === 'lower') return (last ?? wall) - 1;
    return last === undefined ? wall : Math.max(wall, last + 1);
  }

  onMessage(message: OperatorInbox, envelope: Readonly<Envelope>): void {
    switch (message.type) {
      case 'dial':
        return this.dial('wall');
      case 'fire-all':
        for (const taskId of [...this.checks.keys()].sort()) this.fire(taskId);
        return;
      case 'StreamEnded':
        this.ctx.sim.setStreamState(envelope.stream, 'closed');
        if (envelope.stream === this.stream) this.onStreamEnded(message.code);
        return;
      case 'MonitorTaskTrigger':
        if (envelope.stream !== this.stream) return; // nobody reads an abandoned stream
        this.receipts++;
        this.lastReceipt = message.taskId;
        return this.addCheck(message.taskId, message.trigger);
      case 'CancelTask':
      case 'DeleteTask':
        if (envelope.stream !== this.stream) return;
        return this.removeCheck(message.taskId, message.type);
      default:
        return assertNever(message);
    }
  }

  /** `AddCheck`: event/block overwrite by task id; time (cron, fixedTime) schedules a new job. */
  private addCheck(taskId: string, trigger: Trigger): void {
    const existing = this.checks.get(taskId);
    if (existing === undefined) {
      this.checks.set(taskId, { trigger, jobs: 1 });
      this.ctx.note(
        'operator',
        `operator ${this.spec.address} (${this.spec.node}) received MonitorTaskTrigger(${taskId}): Created new subscription`,
        { ...this.entities(), task: taskId },
      );
      return;
    }
    if ((trigger === 'cron' || trigger === 'fixedTime') && this.config.timeTriggerDuplicateJobs) {
      existing.jobs++;
      this.truth.metrics.duplicateTimeJobs++;
      this.ctx.note(
        'operator',
        `operator ${this.spec.address} (${this.spec.node}) got MonitorTaskTrigger(${taskId}) again: ${existing.jobs} time jobs now fire for it`,
        { ...this.entities(), task: taskId },
      );
      return;
    }
    this.ctx.note(
      'debug-operator',
      `operator ${this.spec.address} got MonitorTaskTrigger(${taskId}) again (idempotent)`,
      { ...this.entities(), task: taskId },
    );
  }

  /**
   * The trigger condition of a task occurs: each scheduled job of its local check fires
   * (twice for a duplicated time job, spec §1.3) and reports with the unary NotifyTriggers RPC,
   * which does not use the stream: an operator whose stream goroutine stopped on io.EOF still
   * reports (E5). Returns how many jobs fired.
   */
  fire(taskId: string): number {
    const check = this.checks.get(taskId);
    if (check === undefined) return 0;
    for (let job = 0; job < check.jobs; job++) {
      this.truth.metrics.triggerFirings++;
      this.ctx.send(this.aggregator, notifyTriggersReq(this.spec.address, taskId));
    }
    this.ctx.note(
      'operator',
      `operator ${this.spec.address} (${this.spec.node}) fires task ${taskId}${check.jobs > 1 ? ` ${check.jobs} times (duplicate time jobs)` : ''}: NotifyTriggers`,
      { ...this.entities(), task: taskId },
    );
    return check.jobs;
  }

  private removeCheck(taskId: string, op: string): void {
    if (!this.checks.delete(taskId)) return;
    this.ctx.note(
      'operator',
      `operator ${this.spec.address} (${this.spec.node}) received ${op}(${taskId}): check removed`,
      { ...this.entities(), task: taskId },
    );
  }

  /** Recv returned: io.EOF or a status error (W@fix L520-566; W@head L783+). */
  private onStreamEnded(code: StreamEndCode): void {
    assert(this.stream !== null, 'only the current stream ends the connection', { node: this.spec.node });
    this.stream = null;
    const headBackoff = !this.config.operatorStopsOnEOF;
    if (code === 'EOF' && !headBackoff) {
      this.truth.metrics.operatorStops++;
      this.ctx.note(
        'operator',
        `operator ${this.spec.address} (${this.spec.node}) got io.EOF: its stream goroutine returns and never reconnects (it keeps ${this.checks.size} local check(s))`,
        this.entities(),
      );
      return;
    }
    if (headBackoff && (code === 'EOF' || code === 'ResourceExhausted')) return this.backoff(code);
    this.ctx.note(
      'operator',
      `operator ${this.spec.address} (${this.spec.node}) stream error ${code}; reconnecting in ${this.config.operatorRetryDelayMs / 1000}s`,
      this.entities(),
    );
    this.scheduleRetry(this.config.operatorRetryDelayMs);
  }

  private backoff(code: StreamEndCode): void {
    if (this.ctx.now() - this.dialedAtUs >= msToUs(BACKOFF_RESET_AFTER_MS)) this.backoffAttempt = 0;
    const baseMs = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** this.backoffAttempt);
    const delayMs = baseMs + this.jitter.intInclusive(0, Math.floor(baseMs / 4));
    this.backoffAttempt++;
    this.ctx.note(
      'operator',
      `operator ${this.spec.address} (${this.spec.node}) got ${code}; backing off ${delayMs}ms`,
      this.entities(),
    );
    this.scheduleRetry(delayMs);
  }

  /** The transport died in a way the process sees (connection reset, FIN): retry later. */
  transportLost(streamId: number): void {
    if (streamId !== this.stream) return;
    this.stream = null;
    this.ctx.note(
      'operator',
      `operator ${this.spec.address} (${this.spec.node}) stream broken (Unavailable); reconnecting in ${this.config.operatorRetryDelayMs / 1000}s`,
      this.entities(),
    );
    this.scheduleRetry(this.config.operatorRetryDelayMs);
  }

  private scheduleRetry(delayMs: number): void {
    if (this.retry !== null) this.ctx.cancel(this.retry);
    this.retry = this.ctx.after(msToUs(delayMs), { type: 'dial' });
  }

  private entities(): Record<string, string> {
    return { operator: this.spec.address, process: this.spec.node };
  }
}
