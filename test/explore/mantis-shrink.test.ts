import { describe, expect, it } from 'vitest';
import { fuzzSeed } from '../../src/explore/seed-run.js';
import type { CampaignSpec } from '../../src/explore/seed-run.js';
import { makeRepro } from '../../src/explore/repro.js';
import { shrinkScenario } from '../../src/explore/shrink.js';
import { runPlan } from '../../src/run/run-plan.js';
import { compilePlan } from '../../src/scenario/compile.js';
import { loadScenario, parseScenario } from '../../src/scenario/load.js';

describe('shrinking a Mantis fuzz finding', () => {
  it('should cut the first no-foreign-read finding of the Mantis fuzz scenario to at most 4 steps, each one needed', () => {
    // Arrange: fuzz's own loop, seed 1, 2, … until no-foreign-read.
    const spec: CampaignSpec = {
      scenario: loadScenario('scenarios/mantis/fuzz.yaml'),
      variant: 'as-is',
      strategy: { kind: 'random' },
    };
    let seed = 1;
    const read = (s: number) => fuzzSeed(spec, s).violations.find((v) => v.invariant === 'no-foreign-read');
    let found = read(seed);
    while (found === undefined && seed < 500) found = read(++seed);
    expect(found).toBeDefined();
    const repro = makeRepro(spec, { seed, invariant: 'no-foreign-read', atMs: found?.atMs ?? 0 });
    const scenario = parseScenario(repro.yaml, repro.fileName);
    // Act
    const result = shrinkScenario(scenario, { invariant: 'no-foreign-read' });
    // Assert
    expect(result.status).toBe('shrunk');
    if (result.status !== 'shrunk') return;
    expect(result.after.steps).toBeLessThanOrEqual(4);
    expect(result.after.steps + result.after.clusterItems).toBeLessThan(
      result.before.steps + result.before.clusterItems,
    );
    const rerun = runPlan(compilePlan(parseScenario(result.yaml, 'shrunk.yaml')));
    expect(rerun.violations.map((v) => v.invariant)).toContain('no-foreign-read');
    expect(rerun.traceHash).toBe(result.traceHash);
  });
});
