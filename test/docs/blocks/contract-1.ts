import { loadScenario, simulate } from 'clustersim';
const scenario = await loadScenario('scenarios/mantis/report.yaml');   // may also be sync
const result = simulate(scenario, { variant: 'fix-1a-merged', seed: 3, set: { workerTimeout: '120s' } });
result.violations;   // the same objects as `run --json`, with the same traceHash
