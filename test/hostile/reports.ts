import type { FuzzReport } from '../../src/explore/report.js';
import { packageVersion } from '../../src/report/version.js';

/** A fuzz report as `fuzz --report` writes it (one shard of one, two findings). */
export function validReport(overrides: Partial<FuzzReport> = {}): FuzzReport {
  return {
    scenario: 'toy',
    file: 'toy.yaml',
    system: 'toy',
    variant: 'plain',
    strategy: 'random',
    invariants: null,
    fromSeed: 0,
    seeds: 10,
    shards: [{ index: 1, count: 1 }],
    seedsRun: 10,
    seedsPerSecond: 100,
    wallS: 0.1,
    workers: 1,
    stopped: null,
    findings: [
      { seed: 2, invariant: 'x', atMs: 10, repro: null },
      { seed: 5, invariant: 'y', atMs: 20, repro: null },
    ],
    byInvariant: { x: 1, y: 1 },
    errors: [],
    clustersim: packageVersion(),
    scenarioHash: '0123456789abcdef',
    ...overrides,
  };
}
