import { join } from 'node:path';
import { coverageSearch } from '../src/explore/coverage-search.js';
import type { Findability } from '../src/explore/findability.js';
import { fuzzSeed } from '../src/explore/seed-run.js';
import type { CampaignSpec } from '../src/explore/seed-run.js';
import { findabilityOf } from '../src/explore/findability.js';
import { loadScenario } from '../src/scenario/load.js';
import type { BenchOptions, BenchOutcome, BenchRow } from './bench-result.js';
import { repoRoot } from './fuzz.js';

/** Seeds per campaign (BENCH_EXPLORE_SEEDS): modest, the machine is shared. */
const SEEDS = Number(process.env.BENCH_EXPLORE_SEEDS ?? 200);

/** The generic profiles (no timeline aimed at a bug) and the variants where the known bugs live. */
const CAMPAIGNS: readonly { readonly profile: string; readonly variants: readonly string[] }[] = [
  {
    profile: 'bench/profiles/mantis-generic.yaml',
    variants: ['as-is', 'fix-1a-merged', 'fix-1a-correct', 'head'],
  },
  { profile: 'bench/profiles/ava-generic.yaml', variants: ['pre', 'fixed', 'head'] },
];

/**
 * `explore`: seeds to first hit of each invariant (a finding key) on the generic profiles, for
 * `--strategy random` and `--strategy coverage`, over the same seeds 1..SEEDS, plus wall time.
 * Rows: `{ bench: 'explore', profile, variant, invariant, randomFirst, coverageFirst,
 * randomRate, coverageRate, randomWallS, coverageWallS, randomPoints, coveragePoints }` (first =
 * seeds to first hit, 0 = not within SEEDS; wall time and coverage points are the campaign's).
 */
export function exploreBench(options: BenchOptions): BenchOutcome {
  const rows: BenchRow[] = [];
  for (const { profile, variants } of CAMPAIGNS) {
    const scenario = loadScenario(join(repoRoot(), profile));
    for (const variant of variants) {
      const spec: CampaignSpec = { scenario, variant, strategy: { kind: 'random' }, coverage: true };
      const randomStart = Date.now();
      const hits: { seed: number; key: string }[] = [];
      const points = new Set<string>();
      for (let seed = 1; seed <= SEEDS; seed++) {
        const outcome = fuzzSeed(spec, seed);
        for (const v of outcome.violations) hits.push({ seed, key: v.invariant });
        for (const p of outcome.coverage ?? []) points.add(p);
      }
      const randomWallS = (Date.now() - randomStart) / 1000;
      const shard = { index: 1, count: 1 };
      const random = findabilityOf({ fromSeed: 1, shards: [shard], seedsRun: SEEDS }, hits, []);
      const coverageStart = Date.now();
      const guided = coverageSearch({
        spec: { ...spec, strategy: { kind: 'coverage' } },
        fromSeed: 1,
        seeds: SEEDS,
        shard,
        workers: 1,
        outDir: null,
        shrink: false,
        stopOnFirst: false,
        timeLimitMs: null,
        maxRepros: 0,
      });
      const coverageWallS = (Date.now() - coverageStart) / 1000;
      const byKey = (list: readonly Findability[]): Map<string, Findability> =>
        new Map(list.map((f) => [f.key, f]));
      const r = byKey(random);
      const c = byKey(guided.findability ?? []);
      const base = { bench: 'explore', profile: profile.replace('bench/profiles/', ''), variant };
      for (const key of [...new Set([...r.keys(), ...c.keys()])].sort()) {
        const row: BenchRow = {
          ...base,
          invariant: key,
          randomFirst: r.get(key)?.seedsToFirstHit ?? 0,
          coverageFirst: c.get(key)?.seedsToFirstHit ?? 0,
          randomRate: r.get(key)?.hitRate.rate ?? 0,
          coverageRate: c.get(key)?.hitRate.rate ?? 0,
          randomWallS: Math.round(randomWallS * 10) / 10,
          coverageWallS: Math.round(coverageWallS * 10) / 10,
          randomPoints: points.size,
          coveragePoints: guided.coverage?.points ?? 0,
        };
        rows.push(row);
        options.onRow(row);
      }
    }
  }
  return { status: 'done', rows, targets: [] };
}
