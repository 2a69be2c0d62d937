/**
 * clustersim's library API: `import { loadScenario, simulate } from 'clustersim'`.
 * Everything exported here is public; the rest is internal.
 */
export type { RunMetrics, RunResult } from './run/result.js';
export type { SimulateOptions } from './run/simulate.js';
export { simulate } from './run/simulate.js';
export { runPlan } from './run/run-plan.js';
export type { RunOptions } from './run/run-plan.js';
export { compilePlan } from './scenario/compile.js';
export type { CompileOptions } from './scenario/compile.js';
export { loadScenario, parseScenario, ScenarioError } from './scenario/load.js';
export type { ScenarioProblem } from './scenario/load.js';
export type { FaultsSpec, NetworkSpec, RunPlan, Scenario } from './scenario/types.js';
export type { Violation } from './engine/index.js';
export type { SystemModel } from './systems/system-model.js';
export { allSystems, systemById } from './systems/registry.js';
export { planToScenario, scenarioToYaml } from './scenario/write.js';
export type { PlanToScenarioOptions } from './scenario/write.js';
export { formatDuration, parseDuration } from './util/duration.js';
export { formatProblem } from './scenario/load.js';
export { toChromeTrace } from './report/perfetto.js';
export type { ChromeTrace, PerfettoOptions } from './report/perfetto.js';
export { runResultToJson } from './report/run-json.js';
export type { RunJson, ViolationJson } from './report/run-json.js';
