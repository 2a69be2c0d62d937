// A vitest test in a project that installed clustersim (`npm install --save-dev clustersim vitest`),
// an ES module ("type": "module" in its package.json). Run it with `npx vitest run`.
import { createRequire } from 'node:module';
import { loadScenario, simulate } from 'clustersim';
import { expect, it } from 'vitest';

// The shipped scenarios come with the package: resolve one like any file of it.
const report = createRequire(import.meta.url).resolve('clustersim/scenarios/mantis/report.yaml');

it('the merged fix keeps stage 2 of A on its own data', () => {
  const scenario = loadScenario(report);
  const asIs = simulate(scenario, { variant: 'as-is' });
  const merged = simulate(scenario, { variant: 'fix-1a-merged', seed: 3, set: { workerTimeout: '120s' } });
  expect(asIs.violations.map((v) => v.invariant)).toContain('no-foreign-read');
  expect(merged.violations).toEqual([]);
});
