import { unknownName } from '../../util/names.js';
import type { ConfigKeySpec, ConfigValue, VariantSpec } from '../system-model.js';

/**
 * Every timing of specs/ava.md §3 and every switch of §5–6. Defaults are the FIXED code
 * (`c20969c3`), the simulator's baseline; the `pre` and `head` presets change some of them.
 */
export const avaConfigKeys: readonly ConfigKeySpec[] = [
  {
    key: 'tickerInterval',
    kind: 'duration',
    default: 5000,
    min: 1,
    meaning: 'StreamCheckToOperator ticker period (FIXED 5s; HEAD 15m, 8f2f270e)',
  },
  {
    key: 'stabilization',
    kind: 'duration',
    default: 10_000,
    min: 0,
    meaning: 'connection age below which a tick skips (`age < 10s`, L811); PRE has none (0)',
  },
  {
    key: 'sendTimeout',
    kind: 'duration',
    default: 2000,
    min: 0,
    meaning: 'per-task MonitorTaskTrigger send timeout (L1031); 0 = none, a blocking Send (PRE)',
  },
  {
    key: 'notificationBatch',
    kind: 'duration',
    default: 3000,
    min: 1,
    meaning: 'period of sendBatchedNotifications (L197)',
  },
  {
    key: 'notificationTimeout',
    kind: 'duration',
    default: 500,
    min: 1,
    meaning: 'per-notification send timeout; a notification that fails is dropped (L1186)',
  },
  {
    key: 'operatorRetryDelay',
    kind: 'duration',
    default: 60_000,
    min: 0,
    meaning: 'operator reconnect delay after a stream error (W@fix L26)',
  },
  {
    key: 'triggerInterval',
    kind: 'duration',
    default: 0,
    min: 0,
    meaning:
      'model knob, not upstream: every this often each operator process fires its local checks (NotifyTriggers); 0 = only on a fire-trigger step',
  },
  {
    key: 'shutdownWindow',
    kind: 'duration',
    default: 1000,
    min: 0,
    meaning:
      'inferred: after SIGTERM (engine.Stop() sets shutdown), how long until the process has closed the DB and exited; a handler ticking inside returns nil (E12)',
  },
  {
    key: 'stopCancelsHandlers',
    kind: 'boolean',
    default: false,
    meaning:
      'engine.Stop() also cancels every live handler ticker ctx, so each stream ends (EOF) at once, and waits for every handler to return (streamsWG) before the process exits (1e7cc393 → true; FIXED only sets shutdown)',
  },
  {
    key: 'reconnectCooldown',
    kind: 'duration',
    default: 0,
    min: 0,
    meaning:
      'aggregator rejects a connect within this time of the last accepted one of an address that already has state (HEAD 5s, ResourceExhausted); simultaneous first connects all pass',
  },
  {
    key: 'tickerCtx',
    kind: 'boolean',
    default: true,
    meaning: 'BUG1: a connect cancels the previous ticker of the address; false = PRE (zombie tickers)',
  },
  {
    key: 'clockReset',
    kind: 'boolean',
    default: true,
    meaning: 'BUG2: every reconnect resets TaskID; false = PRE (only a higher MonotonicClock resets it)',
  },
  {
    key: 'reclaim',
    kind: 'enum',
    default: 'reclaim+skip',
    values: ['none', 'reclaim+override', 'reclaim+skip'],
    meaning:
      'BUG3/BUG4: none = PRE (no reclaim), reclaim+override = reclaim then still assignTaskToOperator, reclaim+skip = FIXED',
  },
  {
    key: 'anyErrorEndsHandler',
    kind: 'boolean',
    default: false,
    meaning: 'PRE: any Send error ends the handler (FIXED: only Unavailable, Canceled, DeadlineExceeded)',
  },
  {
    key: 'staleCleanupDeletesStream',
    kind: 'boolean',
    default: true,
    meaning:
      'cleanup deletes operatorStreams[addr] even when it is a newer connection (E1; d9d36f02 → false)',
  },
  {
    key: 'reassignDeadlock',
    kind: 'boolean',
    default: true,
    meaning:
      'reassignOrphanedTasks holds assignmentMutex while assignTaskToOperator takes it again (E2; 58f96747 → false)',
  },
  {
    key: 'unlockedFirstConnectCheck',
    kind: 'boolean',
    default: true,
    meaning: 'first-connect existence check outside the lock (E6; 1e7cc393 → false)',
  },
  {
    key: 'lazyDisconnectDetection',
    kind: 'boolean',
    default: true,
    meaning:
      'the handler notices a dead peer only when a Send fails (no srv.Context() watch; still true at HEAD)',
  },
  {
    key: 'operatorStopsOnEOF',
    kind: 'boolean',
    default: true,
    meaning: 'operator stream goroutine returns for good on io.EOF (58f96747 → false: backoff and reconnect)',
  },
  {
    key: 'cadence',
    kind: 'enum',
    default: 'ticker',
    values: ['ticker', 'immediate'],
    meaning:
      'ticker = ticks with the age gate (FIXED); immediate = one-shot send at `stabilization` plus the ticker (HEAD)',
  },
  {
    key: 'deleteKeepsTaskInMemory',
    kind: 'boolean',
    default: true,
    meaning: 'DeleteTaskByUser leaves the task in `tasks`, so it is re-streamed (E9; still true at HEAD)',
  },
  {
    key: 'timeTriggerDuplicateJobs',
    kind: 'boolean',
    default: true,
    meaning:
      'operator: a duplicate MonitorTaskTrigger for a cron/fixedTime task schedules a second job (c39fc33e → false)',
  },
  {
    key: 'broadcastOnCreate',
    kind: 'boolean',
    default: false,
    meaning:
      'CreateTask pushes the new task at once to every approved, capable, registered stream (7d118ce8 → true)',
  },
];

export const avaVariants: readonly VariantSpec[] = [
  {
    id: 'pre',
    meaning:
      'before the fix (6c3d3087): BUG1-4 present, no stabilization, blocking Send, any error ends the handler',
  },
  {
    id: 'fixed',
    meaning: "the fix as pushed (c20969c3), the design note's version: the four bugs fixed, E1/E2 latent",
  },
  {
    id: 'head',
    meaning:
      'current code (a15ce2f4): stale-cleanup guard, no reassign deadlock, immediate send, 15 min ticker, cooldown, operator backoff',
  },
];

/** specs/ava.md §5 "Preset mapping" and §6: the switches each variant changes from FIXED. */
const presets: Readonly<Record<string, Readonly<Record<string, ConfigValue>>>> = {
  pre: {
    tickerCtx: false,
    clockReset: false,
    reclaim: 'none',
    stabilization: 0,
    sendTimeout: 0,
    anyErrorEndsHandler: true,
  },
  fixed: {},
  head: {
    staleCleanupDeletesStream: false,
    reassignDeadlock: false,
    unlockedFirstConnectCheck: false,
    stopCancelsHandlers: true,
    operatorStopsOnEOF: false,
    cadence: 'immediate',
    tickerInterval: 15 * 60_000,
    reconnectCooldown: 5000,
    timeTriggerDuplicateJobs: false,
    broadcastOnCreate: true,
  },
};

export function checkAvaVariant(variant: string): string | null {
  // An own key: `toString` or `constructor` are in every object, never variants.
  if (Object.hasOwn(presets, variant)) return null;
  return unknownName(
    'ava variant',
    variant,
    avaVariants.map((v) => v.id),
  );
}

/** The config values a variant sets on top of the FIXED defaults. */
export function avaPresetConfig(variant: string): Readonly<Record<string, ConfigValue>> {
  return Object.hasOwn(presets, variant) ? (presets[variant] ?? {}) : {};
}

export type ReclaimMode = 'none' | 'reclaim+override' | 'reclaim+skip';
export type Cadence = 'ticker' | 'immediate';

/** The resolved, typed config the model reads (all durations in ms). */
export interface AvaConfig {
  readonly tickerIntervalMs: number;
  readonly stabilizationMs: number;
  /** 0 = no timeout: a blocked Send blocks the handler for good (PRE). */
  readonly sendTimeoutMs: number;
  readonly notificationBatchMs: number;
  readonly notificationTimeoutMs: number;
  readonly operatorRetryDelayMs: number;
  readonly reconnectCooldownMs: number;
  readonly shutdownWindowMs: number;
  readonly stopCancelsHandlers: boolean;
  readonly triggerIntervalMs: number;
  readonly tickerCtx: boolean;
  readonly clockReset: boolean;
  readonly reclaim: ReclaimMode;
  readonly anyErrorEndsHandler: boolean;
  readonly staleCleanupDeletesStream: boolean;
  readonly reassignDeadlock: boolean;
  readonly unlockedFirstConnectCheck: boolean;
  readonly lazyDisconnectDetection: boolean;
  readonly operatorStopsOnEOF: boolean;
  readonly cadence: Cadence;
  readonly deleteKeepsTaskInMemory: boolean;
  readonly timeTriggerDuplicateJobs: boolean;
  readonly broadcastOnCreate: boolean;
}

/**
 * The typed view of a resolved config. The compiler already merged defaults, the variant's
 * preset (`avaModel.variantConfig`), the file and `--set`, in that order.
 */
export function resolveAvaConfig(raw: Readonly<Record<string, ConfigValue>>): AvaConfig {
  const value = (key: string): ConfigValue => {
    const spec = avaConfigKeys.find((k) => k.key === key);
    if (spec === undefined) throw new Error(`ava config key '${key}' is not declared`);
    return (Object.hasOwn(raw, key) ? raw[key] : undefined) ?? spec.default;
  };
  const num = (key: string): number => Number(value(key));
  const bool = (key: string): boolean => value(key) === true;
  return {
    tickerIntervalMs: num('tickerInterval'),
    stabilizationMs: num('stabilization'),
    sendTimeoutMs: num('sendTimeout'),
    notificationBatchMs: num('notificationBatch'),
    notificationTimeoutMs: num('notificationTimeout'),
    operatorRetryDelayMs: num('operatorRetryDelay'),
    reconnectCooldownMs: num('reconnectCooldown'),
    shutdownWindowMs: num('shutdownWindow'),
    stopCancelsHandlers: bool('stopCancelsHandlers'),
    triggerIntervalMs: num('triggerInterval'),
    tickerCtx: bool('tickerCtx'),
    clockReset: bool('clockReset'),
    reclaim: value('reclaim') as ReclaimMode,
    anyErrorEndsHandler: bool('anyErrorEndsHandler'),
    staleCleanupDeletesStream: bool('staleCleanupDeletesStream'),
    reassignDeadlock: bool('reassignDeadlock'),
    unlockedFirstConnectCheck: bool('unlockedFirstConnectCheck'),
    lazyDisconnectDetection: bool('lazyDisconnectDetection'),
    operatorStopsOnEOF: bool('operatorStopsOnEOF'),
    cadence: value('cadence') as Cadence,
    deleteKeepsTaskInMemory: bool('deleteKeepsTaskInMemory'),
    timeTriggerDuplicateJobs: bool('timeTriggerDuplicateJobs'),
    broadcastOnCreate: bool('broadcastOnCreate'),
  };
}
