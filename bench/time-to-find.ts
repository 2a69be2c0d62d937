import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fuzzSeed } from '../src/explore/seed-run.js';
import type { CampaignSpec } from '../src/explore/seed-run.js';
import { loadScenario } from '../src/scenario/load.js';
import type { BenchOptions, BenchOutcome, BenchRow } from './bench-result.js';
import { repoRoot } from './fuzz.js';
import { timeToFindTargets } from './targets.js';

/** Give up on a scenario after this many seeds (reported as not found). */
const SEEDS_MAX = 10_000;

/**
 * CONTRACT §8 `time-to-find`: wall time and seeds until fuzz first finds the bug of each shipped
 * bug-report scenario under its buggy variant. Rows:
 * `{ "bench": "time-to-find", "scenario", "variant", "seeds", "wallS" }`.
 *
 * A shipped bug scenario is a file under scenarios/ whose `expect` names a variant with
 * invariants that must break; the first such variant is its buggy one. The loop is fuzz's own
 * (`--from-seed 1`: seed 1, 2, …, each compiled with its faults and run to its first violation, one worker)
 * until a seed violates one of the expected invariants; wallS includes loading the file.
 */
export function timeToFindBench(options: BenchOptions): BenchOutcome {
  const root = repoRoot();
  const rows: BenchRow[] = [];
  for (const system of ['mantis', 'ava']) {
    let files: string[];
    try {
      files = readdirSync(join(root, 'scenarios', system))
        .filter((f) => f.endsWith('.yaml'))
        .sort();
    } catch {
      continue;
    }
    for (const file of files) {
      const path = join('scenarios', system, file);
      const startedNs = process.hrtime.bigint();
      const scenario = loadScenario(join(root, path));
      const buggy = Object.entries(scenario.expect ?? {}).find(([, invariants]) => invariants.length > 0);
      if (buggy === undefined) continue;
      const [variant, invariants] = buggy;
      const spec: CampaignSpec = { scenario, variant, strategy: { kind: 'random' } };
      let seeds = 0;
      let found = false;
      for (let seed = 1; seeds < SEEDS_MAX && !found; seed++) {
        seeds++;
        const outcome = fuzzSeed(spec, seed);
        found = outcome.violations.some((v) => invariants.includes(v.invariant));
      }
      const wallS = Number(process.hrtime.bigint() - startedNs) / 1e9;
      const row: BenchRow = {
        bench: 'time-to-find',
        scenario: path,
        variant,
        seeds: found ? seeds : -1,
        wallS: Math.round(wallS * 1000) / 1000,
      };
      rows.push(row);
      options.onRow(row);
    }
  }
  if (rows.length === 0)
    return { status: 'not-available', why: 'no shipped scenario names a buggy variant in its expect yet' };
  return { status: 'done', rows, targets: timeToFindTargets(rows) };
}
