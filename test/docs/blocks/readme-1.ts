import { loadScenario, simulate } from 'clustersim';
import { expect, it } from 'vitest';

it('the merged fix keeps stage 2 of A on its own data', () => {
  const scenario = loadScenario('scenarios/mantis/report.yaml');
  const asIs = simulate(scenario, { variant: 'as-is' });
  const merged = simulate(scenario, { variant: 'fix-1a-merged', seed: 3, set: { workerTimeout: '120s' } });
  expect(asIs.violations.map((v) => v.invariant)).toContain('no-foreign-read');
  expect(merged.violations).toEqual([]);
});
