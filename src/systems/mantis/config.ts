import type { ConfigKeySpec, ConfigValue } from '../system-model.js';

/**
 * mantis.worker.resubmission.interval.secs by era (mantis errata 2): the default of
 * MasterConfiguration and WorkerResubmitRateLimiter at BUG (be1148fe) and FIX784 (bcfba90b), and
 * HEAD's (25ff35c2).
 */
export const BUG_RESUBMIT_INTERVALS = '5:10:20';
export const HEAD_RESUBMIT_INTERVALS = '5:10:30:60:120:600';

/**
 * The timings of specs/mantis.md §c that the model's paths use, as `config` keys with their
 * upstream defaults. The names of CONTRACT §5 first; the rest are the spec's other constants and
 * the model's own knobs (marked "inferred" where the spec gives no number). Not keys, because no
 * modelled path reads them: the TE's heartbeat RPC timeout and registration retries, the RC ask
 * timeout, the HEAD-era scheduler lease (its 3 assignment attempts are a constant, as upstream), the legacy
 * scheduler's retry cap, the worker init timeout, the archive TTL and the SSE heartbeat.
 */
export const mantisConfigKeys: readonly ConfigKeySpec[] = [
  {
    key: 'teHeartbeatInterval',
    kind: 'duration',
    default: 10_000,
    min: 1,
    meaning: 'TE → RC heartbeat period, first one at 0 (mantis.taskexecutor.heartbeats.interval)',
  },
  {
    key: 'rcHeartbeatTimeout',
    kind: 'duration',
    default: 300_000,
    min: 1,
    meaning:
      'RC disconnects a TE not heard from for this long (mantis.agent.heartbeat.interval.ms, used as a timeout)',
  },
  {
    key: 'workerHeartbeatInterval',
    kind: 'duration',
    default: 20_000,
    min: 1,
    meaning: 'worker → JobActor heartbeat period (mantis.worker.heartbeat.intervalv2.secs)',
  },
  {
    key: 'workerTimeout',
    kind: 'duration',
    default: 60_000,
    min: 1000,
    meaning:
      'T: CHECK_HB period; a worker silent for floor(1.5·T) is failed (mantis.worker.heartbeat.interval.secs; per job: workerTimeout)',
  },
  {
    key: 'assignmentTimeout',
    kind: 'duration',
    default: 60_000,
    min: 1,
    meaning:
      'RC assignment timeout: Assigned → Pending if the TE never reports Running (PRE826); inferred: also the submitTask ask timeout (the spec gives that one only for HEAD)',
  },
  {
    key: 'schedulerRetryInterval',
    kind: 'duration',
    default: 60_000,
    min: 1,
    meaning:
      'legacy scheduler retry of a pending worker after NoResourceAvailable (mantis.master.scheduler.retry-interval.millis)',
  },
  {
    key: 'reservationTick',
    kind: 'duration',
    default: 1000,
    min: 1,
    meaning:
      'head: the ReservationRegistryActor places pending workers on this tick (RC/ReservationRegistryActor.java:56)',
  },
  {
    key: 'refreshInterval',
    kind: 'duration',
    default: 1000,
    min: 1,
    meaning:
      'periodic SendWorkerAssignementsIfChanged (mantis.master.stage.assignment.refresh.interval.ms; its -1 "push on every change" is not modelled)',
  },
  {
    key: 'quarantine',
    kind: 'duration',
    default: 300_000,
    min: 0,
    meaning:
      'fix-2: how long a reused TE stays Quarantined before it is pooled (2a: the RC heartbeat timeout)',
  },
  {
    key: 'refreshMaxWait',
    kind: 'duration',
    default: 30_000,
    min: 0,
    meaning: 'smart refresh: pushes wait up to this long while workers are pending (refresh.max.wait.ms)',
  },
  {
    key: 'maxResubmits',
    kind: 'integer',
    default: 100,
    min: 1,
    meaning:
      'distinct failing workers per job per hour before the job is killed (mantis.worker.resubmissions.maximum)',
  },
  {
    key: 'resubmitIntervals',
    kind: 'text',
    pattern: {
      source: '^\\d+(:\\d+)*$',
      help: 'seconds separated by colons, like 5:10:20',
    },
    default: BUG_RESUBMIT_INTERVALS,
    meaning: `WorkerResubmitRateLimiter's delays in seconds for successive failures of one slot, after a first 0 and repeating the last (mantis.worker.resubmission.interval.secs): ${BUG_RESUBMIT_INTERVALS} at BUG and FIX784; head's preset ${HEAD_RESUBMIT_INTERVALS} (mantis errata 2)`,
  },
  {
    key: 'resubmitExpiry',
    kind: 'duration',
    default: 300_000,
    min: 0,
    meaning:
      "WorkerResubmitRateLimiter forgets a slot's failures after this long (mantis.worker.expire.resubmit.delay.secs)",
  },
  {
    key: 'workerStartLatency',
    kind: 'duration',
    default: 5000,
    min: 0,
    meaning:
      'inferred: submitTask ack → the worker runs and binds the sink port (TE prepares the task asynchronously)',
  },
  {
    key: 'consumerReconnectBackoff',
    kind: 'duration',
    default: 1000,
    min: 1,
    meaning: 'inferred: first delay before a consumer retries a refused endpoint; doubles each retry',
  },
  {
    key: 'consumerReconnectBackoffMax',
    kind: 'duration',
    default: 16_000,
    min: 1,
    meaning: 'inferred: cap of the consumer reconnect backoff',
  },
  {
    key: 'routerHopDelay',
    kind: 'duration',
    default: 1,
    min: 0,
    meaning:
      'inferred (the spec gives no number): upper bound of the extra delay each of the 3 tell hops (router → JobClustersManager → JobClusterActor → JobActor) adds, uniform, seeded',
  },
  {
    key: 'jcmInitDuration',
    kind: 'duration',
    default: 10_000,
    min: 0,
    meaning:
      'inferred: after a failover the JobClustersManager initialises this long and drops WorkerEvents (JobClustersManagerActor.java:325)',
  },
  {
    key: 'tolerableHeartbeatFailures',
    kind: 'integer',
    default: 3,
    min: 1,
    meaning: 'TE: consecutive failed heartbeats before it sets registered = false',
  },
];

/** The resolved config, typed; durations in ms. */
export interface MantisConfig {
  /** `resubmitIntervals` parsed: 0 first, then each interval, in ms. */
  readonly resubmitDelaysMs: readonly number[];
  readonly teHeartbeatInterval: number;
  readonly rcHeartbeatTimeout: number;
  readonly workerHeartbeatInterval: number;
  readonly workerTimeout: number;
  readonly assignmentTimeout: number;
  readonly schedulerRetryInterval: number;
  readonly refreshInterval: number;
  readonly reservationTick: number;
  readonly quarantine: number;
  readonly refreshMaxWait: number;
  readonly maxResubmits: number;
  readonly resubmitExpiry: number;
  readonly workerStartLatency: number;
  readonly consumerReconnectBackoff: number;
  readonly consumerReconnectBackoffMax: number;
  readonly routerHopDelay: number;
  readonly jcmInitDuration: number;
  readonly tolerableHeartbeatFailures: number;
}

/** Defaults filled in for keys the plan does not carry (plans built in code may omit them). */
export function resolveMantisConfig(values: Readonly<Record<string, ConfigValue>>): MantisConfig {
  const out: Record<string, number | readonly number[]> = {};
  for (const spec of mantisConfigKeys) {
    const value = values[spec.key] ?? spec.default;
    if (spec.key === 'resubmitIntervals') {
      out.resubmitDelaysMs = resubmitDelaysMs(String(value));
      continue;
    }
    if (typeof value !== 'number')
      throw new Error(`mantis config '${spec.key}' must be a number, got ${String(value)}`);
    out[spec.key] = value;
  }
  return out as unknown as MantisConfig;
}

/** WorkerResubmitRateLimiter's table: a first 0, then each interval (seconds) → ms. */
export function resubmitDelaysMs(intervals: string): number[] {
  return [0, ...intervals.split(':').map((s) => Number(s) * 1000)];
}

/** Window of the job-wide resubmit cap (recentErrorWorkersCache: one hour). */
export const RESUBMIT_WINDOW_MS = 3_600_000;

/** floor(1.5·T) in whole seconds, as JobActor.checkHeartBeats computes it. */
export function missedHeartbeatToleranceMs(workerTimeoutMs: number): number {
  return Math.floor((1.5 * workerTimeoutMs) / 1000) * 1000;
}
