import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchOptions, BenchOutcome, BenchRow } from './bench-result.js';
import { fuzzTargets } from './targets.js';

/** The repository root, from dist/bench/fuzz.js or bench/fuzz.ts alike. */
export function repoRoot(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  for (const candidate of [resolve(here, '..'), resolve(here, '../..')])
    if (existsSync(join(candidate, 'bin', 'clustersim.js'))) return candidate;
  return process.cwd();
}

const SCENARIOS = ['scenarios/mantis/fuzz.yaml', 'scenarios/ava/fuzz.yaml'] as const;
/**
 * Two campaign lengths. A short one shows what a user waits for, start-up included: each pool
 * thread boots, imports the model and warms its JIT (about 0.3-0.5 s in which a 2-worker run does
 * a fraction of its later rate). A long one shows the steady rate a real campaign runs at.
 */
const CAMPAIGNS = [2_000, 10_000] as const;

/**
 * CONTRACT §8 `fuzz`: seeds per second of `clustersim fuzz` on the repo's Mantis and Ava fuzz
 * scenarios, with 1 worker and with all cores. Rows:
 * `{ "bench": "fuzz", "scenario", "workers", "seedsPerS" }`.
 *
 * Measured on the real command (a child process, `--json`), so pool start-up and the ordered
 * hand-over are included; repro files go to a temporary directory, shrinking is off.
 */
export function fuzzBench(options: BenchOptions): BenchOutcome {
  const root = repoRoot();
  const scenarios = SCENARIOS.filter((s) => existsSync(join(root, s)));
  if (scenarios.length === 0)
    return { status: 'not-available', why: `none of ${SCENARIOS.join(', ')} exists yet` };
  const cores = availableParallelism();
  const rows: BenchRow[] = [];
  const out = mkdtempSync(join(tmpdir(), 'clustersim-bench-fuzz-'));
  try {
    for (const scenario of scenarios) {
      for (const seeds of CAMPAIGNS)
        for (const workers of [...new Set([1, cores])]) {
          const args = [
            'bin/clustersim.js',
            'fuzz',
            scenario,
            '--seeds',
            String(seeds),
            '--workers',
            String(workers),
            '--no-shrink',
            '--max-repros',
            '0',
            '--out',
            out,
            '--json',
            '--time-limit',
            '60s',
          ];
          const child = spawnSync(process.execPath, args, {
            cwd: root,
            encoding: 'utf8',
            maxBuffer: 64 * 1024 * 1024,
          });
          if (child.status !== 0 && child.status !== 1)
            throw new Error(
              `fuzz bench: clustersim ${args.slice(1).join(' ')} exited ${child.status}: ${child.stderr}`,
            );
          const report = JSON.parse(child.stdout) as {
            seedsRun: number;
            seedsPerSecond: number;
            wallS: number;
          };
          const row: BenchRow = {
            bench: 'fuzz',
            scenario,
            workers,
            seedsPerS: report.seedsPerSecond,
            seeds: report.seedsRun,
            wallS: report.wallS,
          };
          rows.push(row);
          options.onRow(row);
        }
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  return { status: 'done', rows, targets: fuzzTargets(rows) };
}
