import type { RunResult } from '../../src/run/result.js';
import { runPlan } from '../../src/run/run-plan.js';
import { compilePlan } from '../../src/scenario/compile.js';
import { loadScenario } from '../../src/scenario/load.js';

export const AVA_SCENARIOS = 'scenarios/ava';

/** One run of a shipped Ava scenario, as `clustersim run FILE --variant V --set k=v` does it. */
export function runAva(
  file: string,
  variant: string,
  set: Record<string, string> = {},
  seed?: number,
): RunResult {
  const scenario = loadScenario(`${AVA_SCENARIOS}/${file}`);
  return runPlan(compilePlan(scenario, { variant, set, ...(seed !== undefined ? { seed } : {}) }));
}

export function violated(result: RunResult): string[] {
  return result.violations.map((v) => v.invariant).sort();
}

/** Times (s) at which MonitorTaskTrigger(task) was sent on a connection (from the timeline notes). */
export function monitorSendsOn(result: RunResult, connection: string, task: string): number[] {
  return result.notes
    .filter(
      (n) =>
        n.category === 'send' &&
        n.entities['connection'] === connection &&
        n.entities['task'] === task &&
        n.text.startsWith('MonitorTaskTrigger'),
    )
    .map((n) => n.atUs / 1e6);
}
