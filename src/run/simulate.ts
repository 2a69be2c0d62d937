import type { CompileOptions } from '../scenario/compile.js';
import { compilePlan } from '../scenario/compile.js';
import type { Scenario } from '../scenario/types.js';
import type { RunLimits } from './limits.js';
import type { RunResult } from './result.js';
import type { RunOptions } from './run-plan.js';
import { runPlan } from './run-plan.js';

export interface SimulateOptions {
  readonly variant?: string;
  readonly seed?: number;
  /** Config overrides, as on the command line: `{ workerTimeout: '120s' }`. */
  readonly set?: Readonly<Record<string, string | number | boolean>>;
  /** Keep up to this many full trace records (Perfetto export). */
  readonly captureLimit?: number;
  /** Per-run limits (events, simulated time, pending events); a run that reaches one has `limit` set. */
  readonly limits?: Partial<RunLimits>;
}

/** One deterministic run of a scenario (CONTRACT §9). Throws ScenarioError on bad overrides. */
export function simulate(scenario: Scenario, options: SimulateOptions = {}): RunResult {
  const set: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.set ?? {})) set[key] = String(value);
  const compile: CompileOptions = {
    ...(options.variant !== undefined ? { variant: options.variant } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    set,
    source: 'options',
  };
  const run: RunOptions = {
    explain: true,
    ...(options.captureLimit !== undefined ? { captureLimit: options.captureLimit } : {}),
    ...(options.limits !== undefined ? { limits: options.limits } : {}),
  };
  return runPlan(compilePlan(scenario, compile), run);
}
