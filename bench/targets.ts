import type { BenchRow } from './bench-result.js';

/**
 * The targets the project set for its benchmarks (issue #2 for heartbeat-storm, #6 for fuzz and
 * time-to-find), checked against the rows just measured, so that `npm run bench` says plainly
 * which are met on this machine instead of leaving the reader to divide numbers.
 */
export interface TargetCheck {
  readonly target: string;
  /** What was measured, as a reader wants it (a rate, a ratio, a count). */
  readonly measured: string;
  readonly met: boolean;
}

const num = (row: BenchRow | undefined, key: string): number | undefined => {
  const value = row?.[key];
  return typeof value === 'number' ? value : undefined;
};

const millions = (value: number): string => `${(value / 1e6).toFixed(2)} M`;

/** heartbeat-storm: rows of `heartbeatStormBench`. A target whose rows are missing is left out. */
export function heartbeatStormTargets(rows: readonly BenchRow[]): TargetCheck[] {
  const find = (impl: string, executors: number): BenchRow | undefined =>
    rows.find((r) => r.impl === impl && r.executors === executors);
  const at10k = num(find('clustersim', 10_000), 'beatsPerS');
  const rss100k = num(find('clustersim', 100_000), 'rssMB');
  const fake10k = num(find('fake-timers', 10_000), 'beatsPerS');
  const checks: TargetCheck[] = [];
  if (at10k !== undefined)
    checks.push({
      target: '≥ 1.0 M heartbeats/s at E = 10 000',
      measured: `${millions(at10k)}/s`,
      met: at10k >= 1e6,
    });
  if (at10k !== undefined && fake10k !== undefined && fake10k > 0) {
    const speedup = at10k / fake10k;
    checks.push({
      target: '≥ 5× fake-timers at E = 10 000',
      measured: `${speedup.toFixed(1)}×`,
      met: speedup >= 5,
    });
  }
  if (rss100k !== undefined)
    checks.push({ target: 'RSS ≤ 300 MB at E = 100 000', measured: `${rss100k} MB`, met: rss100k <= 300 });
  return checks;
}

/**
 * fuzz: the Mantis profile's steady rate (the longest campaign) with 1 worker, and its 2-worker
 * speed-up when the machine has a second core.
 */
export function fuzzTargets(rows: readonly BenchRow[]): TargetCheck[] {
  const mantis = rows.filter((r) => typeof r.scenario === 'string' && r.scenario.includes('mantis'));
  const longest = Math.max(...mantis.map((r) => num(r, 'seeds') ?? 0));
  const one = num(
    mantis.find((r) => r.workers === 1 && r.seeds === longest),
    'seedsPerS',
  );
  const two = num(
    mantis.find((r) => r.workers === 2 && r.seeds === longest),
    'seedsPerS',
  );
  const checks: TargetCheck[] = [];
  if (one !== undefined)
    checks.push({
      target: 'Mantis fuzz ≥ 100 seeds/s on 1 worker',
      measured: `${Math.round(one)} seeds/s`,
      met: one >= 100,
    });
  if (one !== undefined && two !== undefined && one > 0) {
    const speedup = two / one;
    checks.push({
      target: 'Mantis fuzz with 2 workers ≥ 1.8× 1 worker',
      measured: `${speedup.toFixed(2)}×`,
      met: speedup >= 1.8,
    });
  }
  return checks;
}

/** time-to-find: every shipped bug scenario found (seeds ≥ 1) within 1 s of wall time. */
export function timeToFindTargets(rows: readonly BenchRow[]): TargetCheck[] {
  if (rows.length === 0) return [];
  const slowest = Math.max(...rows.map((r) => num(r, 'wallS') ?? Number.POSITIVE_INFINITY));
  const missed = rows.filter((r) => (num(r, 'seeds') ?? -1) < 1).length;
  return [
    {
      target: 'every shipped bug found within 1 s',
      measured: missed > 0 ? `${missed} of ${rows.length} not found` : `slowest ${slowest} s`,
      met: missed === 0 && slowest <= 1,
    },
  ];
}

/** model-speed: a Mantis report run ≤ 50 ms; shrinking the first Mantis fuzz finding ≤ 10 s. */
export function modelSpeedTargets(rows: readonly BenchRow[]): TargetCheck[] {
  const wall = (workload: string): number | undefined =>
    num(
      rows.find((r) => r.workload === workload),
      'wallMs',
    );
  const run = wall('mantis-report-run');
  const shrink = wall('mantis-fuzz-shrink');
  const checks: TargetCheck[] = [];
  if (run !== undefined)
    checks.push({ target: 'a Mantis report run ≤ 50 ms', measured: `${run} ms`, met: run <= 50 });
  if (shrink !== undefined)
    checks.push({
      target: 'shrinking the first Mantis fuzz finding ≤ 10 s',
      measured: `${(shrink / 1000).toFixed(2)} s`,
      met: shrink <= 10_000,
    });
  return checks;
}

/** start-up: `clustersim run` of the Mantis report as a whole process ≤ 2× a bare `node -e ''`. */
export function startUpTargets(rows: readonly BenchRow[]): TargetCheck[] {
  const bare = num(
    rows.find((r) => r.command === "node -e ''"),
    'medianMs',
  );
  const run = num(
    rows.find((r) => typeof r.command === 'string' && r.command.startsWith('clustersim run')),
    'medianMs',
  );
  if (bare === undefined || run === undefined || bare <= 0) return [];
  const ratio = run / bare;
  return [
    {
      target: "clustersim run of the Mantis report ≤ 2× a bare node -e ''",
      measured: `${ratio.toFixed(2)}× (${run} ms against ${bare} ms, medians)`,
      met: ratio <= 2,
    },
  ];
}

/** The lines `npm run bench` prints under a benchmark's table. */
export function formatTargets(checks: readonly TargetCheck[]): string[] {
  return checks.map((c) => `${c.met ? '✓' : '✗'} ${c.target}: ${c.measured}${c.met ? '' : ' (not met)'}`);
}
