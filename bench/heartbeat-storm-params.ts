/**
 * The heartbeat-storm workload of CONTRACT §8, shared by both implementations so they run the
 * same thing. All times are integer microseconds.
 */
export const STORM = {
  beatPeriodUs: 1_000_000,
  /** Uniform jitter added to each period, [0, jitterUs). */
  jitterUs: 100_000,
  /** The first beat is uniform in [0, beatPeriodUs). */
  firstBeatUs: 1_000_000,
  /** One-way latency, uniform in [min, max). */
  latencyUs: [1_000, 10_000] as const,
  crashProbabilityPerBeat: 1e-4,
  /** A crashed executor beats again this long after its crash. */
  restartAfterUs: 30_000_000,
  sweepPeriodUs: 5_000_000,
  /** The sweep marks executors not seen for more than this. */
  staleAfterUs: 3_000_000,
  durationUs: 100_000_000,
} as const;

export type HeartbeatStormRow = {
  readonly bench: 'heartbeat-storm';
  readonly impl: 'clustersim' | 'fake-timers';
  readonly executors: number;
  /** Heartbeats the master recorded. */
  readonly beats: number;
  readonly beatsPerS: number;
  /** Timer firings plus deliveries. */
  readonly events: number;
  readonly eventsPerS: number;
  readonly wallS: number;
  readonly rssMB: number;
};

/** What one run measured, before rates are derived. */
export interface StormCounts {
  readonly beats: number;
  readonly events: number;
  readonly crashes: number;
  readonly staleMarks: number;
  readonly traceHash: string | null;
}

export function toRow(
  impl: HeartbeatStormRow['impl'],
  executors: number,
  counts: StormCounts,
  wallS: number,
  rssBytes: number,
): HeartbeatStormRow {
  return {
    bench: 'heartbeat-storm',
    impl,
    executors,
    beats: counts.beats,
    beatsPerS: Math.round(counts.beats / wallS),
    events: counts.events,
    eventsPerS: Math.round(counts.events / wallS),
    wallS: Number(wallS.toFixed(3)),
    rssMB: Math.round(rssBytes / (1024 * 1024)),
  };
}
