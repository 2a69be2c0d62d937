// Runs every conformance case of this folder (each translates one upstream test of Netflix/mantis;
// see its header and docs/conformance.md): under each variant its checks name, every check must
// hold, and an `expect`, where a case has one, must be met exactly.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPlan } from '../../../src/run/run-plan.js';
import { isCheckStep } from '../../../src/scenario/check-step.js';
import { compilePlan } from '../../../src/scenario/compile.js';
import { loadScenario } from '../../../src/scenario/load.js';

const dir = import.meta.dirname;
const cases = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

describe('Mantis conformance cases (upstream tests as scenarios)', () => {
  it('has at least 15 scenario cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
  });

  for (const file of cases) {
    it(file, () => {
      const scenario = loadScenario(join(dir, file));
      const checks = scenario.timeline.filter(isCheckStep);
      const variants = new Set<string>(Object.keys(scenario.expect ?? {}));
      for (const check of checks)
        for (const variant of check.args.variants ?? [scenario.variant ?? 'as-is']) variants.add(variant);
      expect(variants.size).toBeGreaterThan(0);
      for (const variant of variants) {
        const result = runPlan(compilePlan(scenario, { variant }));
        expect(result.stoppedEarly).toBeUndefined();
        const judged = checks.filter((c) => c.args.variants === null || c.args.variants.includes(variant));
        expect(result.checks).toHaveLength(judged.length);
        const failed = result.checks
          .filter((c) => !c.holds)
          .map((c) => `${variant}: ${c.origin}: expected ${c.expected}, got ${c.actual}`);
        expect(failed).toEqual([]);
        const expected = scenario.expect?.[variant];
        if (expected !== undefined)
          expect([...new Set(result.violations.map((v) => v.invariant))].sort()).toEqual(
            [...expected].sort(),
          );
      }
    });
  }
});
