// INTERFACE STUB: the loader (issue 3) replaces the body; keep the exported signature.
import type { RunPlan, Scenario } from './types.js';

export interface CompileOptions {
  /** Overrides the scenario's variant. */
  readonly variant?: string;
  /** Overrides the scenario's seed. */
  readonly seed?: number;
  /** `--set key=value` overrides, raw strings, validated against the system's config keys. */
  readonly set?: Readonly<Record<string, string>>;
}

/**
 * Scenario → concrete run plan: config defaults + file + `--set`, timeline steps, and `faults`
 * drawn from named seeded streams into concrete steps. Throws ScenarioError on a bad `--set`.
 */
export function compilePlan(scenario: Scenario, options: CompileOptions = {}): RunPlan {
  void scenario;
  void options;
  throw new Error('compilePlan not implemented yet');
}
