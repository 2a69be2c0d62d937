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

  it('should move the fault of each safety finding of the Mantis fuzz profile earlier, so the run lasts at most twice its last step', () => {
    // Arrange: the first findings of the shipped profile (seed 7: no-foreign-read; seed 4:
    // no-foreign-advertisement; both shrank to one restart at 4m or later in a 10m run before).
    const fuzz = loadScenario('scenarios/mantis/fuzz.yaml');
    for (const [seed, invariant] of [
      [7, 'no-foreign-read'],
      [4, 'no-foreign-advertisement'],
    ] as const) {
      // Act
      const result = shrinkScenario(fuzz, { seed, invariant, variant: 'as-is' });

      // Assert
      expect(result.status).toBe('shrunk');
      if (result.status !== 'shrunk') return;
      const lastMs = Math.max(...result.scenario.timeline.map((s) => s.atMs));
      expect(result.after.durationMs, `seed ${seed}`).toBeLessThanOrEqual(2 * lastMs);
      expect(result.after.durationMs, `seed ${seed}`).toBeLessThan(result.before.durationMs / 4);
      const rerun = runPlan(compilePlan(parseScenario(result.yaml, 'shrunk.yaml')));
      expect(rerun.violations.map((v) => v.invariant)).toContain(invariant);
      // The same input shrinks to the same file, byte for byte.
      const again = shrinkScenario(fuzz, { seed, invariant, variant: 'as-is' });
      expect(again.status === 'shrunk' ? again.yaml : '').toBe(result.yaml);
    }
  });

  it('should say in the shrunk file that a restart of a running node implies its crash', () => {
    // Arrange
    const fuzz = loadScenario('scenarios/mantis/fuzz.yaml');

    // Act
    const result = shrinkScenario(fuzz, { seed: 7, invariant: 'no-foreign-read', variant: 'as-is' });

    // Assert
    expect(result.status).toBe('shrunk');
    if (result.status !== 'shrunk') return;
    const restart = result.scenario.timeline.find((s) => s.action === 'restart');
    expect(restart).toBeDefined();
    expect(result.scenario.timeline.some((s) => s.action === 'crash')).toBe(false);
    expect(result.yaml).toMatch(
      new RegExp(
        `^# - restart ${String(restart?.args)} at [^:]+: ${String(restart?.args)} was running, so the restart implies its crash`,
        'm',
      ),
    );
  });
});
