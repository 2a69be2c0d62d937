import type { FuzzReport } from './report.js';
import type { Shard } from './shard.js';
import type { RateInterval } from './wilson.js';
import { wilsonInterval } from './wilson.js';

/**
 * How findable one finding is in a campaign: after how many seeds it first showed, and how often
 * it shows, with a 95% Wilson interval, so "how rare is this bug, and how many clean seeds
 * show a fix" is read off, not guessed. Keyed by a string: an invariant id today, a cause
 * group's key once findings are grouped.
 */
export interface Findability {
  readonly key: string;
  /** Seeds run up to and including the first that showed it (in seed order over the campaign). */
  readonly seedsToFirstHit: number;
  readonly firstSeed: number;
  /** Seeds that showed it. */
  readonly hits: number;
  readonly hitRate: RateInterval;
  /**
   * Seeds in a row that would show it at least once with 95% confidence at the interval's low
   * rate (null when it was never seen): how many seeds a fix must pass to count as tested.
   */
  readonly seedsFor95: number | null;
}

/** Seeds of the campaign's shards that are at most `seed`. */
function seedsUpTo(seed: number, fromSeed: number, shards: readonly Shard[]): number {
  let count = 0;
  for (const shard of shards) {
    const first = fromSeed + shard.index - 1;
    if (seed >= first) count += Math.floor((seed - first) / shard.count) + 1;
  }
  return count;
}

const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;

/**
 * Seeds that ran without a verdict: an internal error (never a pass), or a limit reached before
 * any violation. Findability counts neither as a seed that did not show the bug.
 */
export function seedsWithoutVerdict(
  report: Pick<FuzzReport, 'errors' | 'limited' | 'findings'>,
): readonly number[] {
  const found = new Set(report.findings.map((f) => f.seed));
  const seeds = new Set(report.errors.map((e) => e.seed));
  for (const l of report.limited ?? []) if (!found.has(l.seed)) seeds.add(l.seed);
  return [...seeds];
}

/**
 * Findability of each key, from findings given as (seed, key) pairs, keys in sorted order, over
 * the seeds that reached a verdict (`noVerdict`: see seedsWithoutVerdict).
 */
export function findabilityOf(
  report: Pick<FuzzReport, 'fromSeed' | 'shards' | 'seedsRun'>,
  findings: readonly { readonly seed: number; readonly key: string }[],
  noVerdict: readonly number[],
): Findability[] {
  const seedsByKey = new Map<string, Set<number>>();
  for (const f of findings) {
    let seeds = seedsByKey.get(f.key);
    if (seeds === undefined) seedsByKey.set(f.key, (seeds = new Set()));
    seeds.add(f.seed);
  }
  return [...seedsByKey.keys()].sort().map((key) => {
    const seeds = seedsByKey.get(key) as Set<number>;
    const firstSeed = Math.min(...seeds);
    const interval = wilsonInterval(seeds.size, report.seedsRun - noVerdict.length);
    return {
      key,
      seedsToFirstHit:
        seedsUpTo(firstSeed, report.fromSeed, report.shards) - noVerdict.filter((s) => s < firstSeed).length,
      firstSeed,
      hits: seeds.size,
      hitRate: { rate: round4(interval.rate), low: round4(interval.low), high: round4(interval.high) },
      seedsFor95: interval.low > 0 ? Math.ceil(Math.log(0.05) / Math.log(1 - interval.low)) : null,
    };
  });
}

/** Findability per invariant of a fuzz report. */
export function findabilityByInvariant(report: FuzzReport): Findability[] {
  return findabilityOf(
    report,
    report.findings.map((f) => ({ seed: f.seed, key: f.invariant })),
    seedsWithoutVerdict(report),
  );
}

export const percent = (x: number): string => `${(x * 100).toFixed(x < 0.01 ? 2 : 1)}%`;

/** One line per key: `first hit after 12 seeds · rate 3.1% (95%: 2.0–4.7%) · 95 seeds show it (95%)`. */
export function renderFindability(rows: readonly Findability[]): string[] {
  if (rows.length === 0) return [];
  const width = Math.max(...rows.map((r) => r.key.length));
  return [
    'findability (seeds to first hit; hit rate with its 95% Wilson interval; seeds that show it with 95% confidence):',
    ...rows.map(
      (r) =>
        `  ${r.key.padEnd(width)}  first after ${r.seedsToFirstHit} seed${r.seedsToFirstHit === 1 ? '' : 's'} · rate ${percent(r.hitRate.rate)} (${percent(r.hitRate.low)}–${percent(r.hitRate.high)})${r.seedsFor95 === null ? '' : ` · ${r.seedsFor95} seeds`}`,
    ),
  ];
}
