import { join } from 'node:path';
import { makeRepro } from '../src/explore/repro.js';
import { fuzzSeed } from '../src/explore/seed-run.js';
import type { CampaignSpec } from '../src/explore/seed-run.js';
import { shrinkScenario } from '../src/explore/shrink.js';
import { simulate } from '../src/run/simulate.js';
import { loadScenario, parseScenario } from '../src/scenario/load.js';
import type { BenchOptions, BenchOutcome, BenchRow } from './bench-result.js';
import { repoRoot } from './fuzz.js';
import { modelSpeedTargets } from './targets.js';

/**
 * Wall-time targets of the models that used to be test assertions (a test must not fail because
 * the machine is busy): one run of the Mantis report (12 simulated minutes) and one shrink of the
 * first no-foreign-read finding of the Mantis fuzz profile. Rows:
 * `{ "bench": "model-speed", "workload", "wallMs" }`.
 */
export function modelSpeedBench(options: BenchOptions): BenchOutcome {
  const root = repoRoot();
  const rows: BenchRow[] = [];
  const emit = (row: BenchRow): void => {
    rows.push(row);
    options.onRow(row);
  };

  const report = loadScenario(join(root, 'scenarios/mantis/report.yaml'));
  simulate(report, { variant: 'as-is' }); // warm-up
  const runs = 10;
  let started = performance.now();
  for (let i = 0; i < runs; i++) simulate(report, { variant: 'as-is', seed: i + 1 });
  emit({
    bench: 'model-speed',
    workload: 'mantis-report-run',
    wallMs: round((performance.now() - started) / runs),
  });

  const spec: CampaignSpec = {
    scenario: loadScenario(join(root, 'scenarios/mantis/fuzz.yaml')),
    variant: 'as-is',
    strategy: { kind: 'random' },
  };
  let seed = 1;
  const foreignRead = (seed: number) =>
    fuzzSeed(spec, seed).violations.find((v) => v.invariant === 'no-foreign-read');
  let found = foreignRead(seed);
  while (found === undefined && seed < 500) found = foreignRead(++seed);
  const repro = makeRepro(spec, { seed, invariant: 'no-foreign-read', atMs: found?.atMs ?? 0 });
  started = performance.now();
  shrinkScenario(parseScenario(repro.yaml, repro.fileName), { invariant: 'no-foreign-read' });
  emit({ bench: 'model-speed', workload: 'mantis-fuzz-shrink', wallMs: round(performance.now() - started) });

  return { status: 'done', rows, targets: modelSpeedTargets(rows) };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
