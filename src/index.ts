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
export type {
  ActionSpec,
  CheckSpec,
  CheckVerdict,
  ConfigKeySpec,
  ConfigValue,
  CostMetrics,
  FaultKind,
  GenericActionName,
  Invariant,
  PlanStep,
  SystemInstance,
  SystemModel,
  SystemSetup,
  VariantSpec,
} from './systems/system-model.js';
export type { LivenessInvariantSpec, SafetyInvariantSpec } from './systems/invariant.js';
export { allSystems, systemById } from './systems/registry.js';
export type { SystemDefinition } from './systems/define.js';
export { defineSystem, SystemDefinitionError } from './systems/define.js';
export type { ClustersimConfig } from './systems/plugin-loader.js';
export { defineConfig, loadProjectConfig, loadSystemModule, PluginError } from './systems/plugin-loader.js';
export type { ModelActorContext, ModelNodeHandle, ModelSimulation } from './engine/index.js';
/** The zod a plug-in writes its schemas with: the same copy the loader validates with. */
export { z } from 'zod';
export { planToScenario, scenarioToYaml } from './scenario/write.js';
export type { PlanToScenarioOptions } from './scenario/write.js';
export { formatDuration, parseDuration } from './util/duration.js';
export type { DurationResult } from './util/duration.js';
export { formatProblem } from './scenario/load.js';
export { toChromeTrace } from './report/perfetto.js';
export type { ChromeTrace, PerfettoOptions } from './report/perfetto.js';
export { runResultToJson } from './report/run-json.js';
export type { RunJson, ViolationJson } from './report/run-json.js';

// Plug-ins import `clustersim` and `clustersim/engine`: they get these very modules (see
// plugin-loader.ts), so a plug-in shares this copy's classes wherever it is installed.
import * as engineApi from './engine/index.js';
import * as publicApi from './index.js';
import { providePublicModules } from './systems/plugin-loader.js';
providePublicModules({ clustersim: publicApi, 'clustersim/engine': engineApi });
