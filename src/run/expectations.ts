import type { Violation } from '../engine/index.js';
import { compilePlan } from '../scenario/compile.js';
import type { Scenario } from '../scenario/types.js';
import { runPlan } from './run-plan.js';

/** One (scenario, variant) check of `clustersim test`. */
export interface TestOutcome {
  readonly file: string;
  readonly scenario: string;
  readonly variant: string;
  readonly seed: number;
  /** Invariants `expect` says must be violated (exactly these; [] = every invariant holds). */
  readonly expected: readonly string[];
  /** Invariants the run violated, safety and liveness alike, sorted. */
  readonly violated: readonly string[];
  readonly pass: boolean;
  readonly traceHash: string;
  readonly stoppedEarly?: string;
}

export interface ExpectationOptions {
  /** Check only this variant's expectation. */
  readonly variant?: string;
  readonly seed?: number;
  readonly set: Readonly<Record<string, string>>;
  /** No invariant outside the list may be violated either. */
  readonly exact: boolean;
}

/** A checked variant, with the run's violations for the report of a mismatch. */
export interface VariantCheck {
  readonly outcome: TestOutcome;
  readonly violations: readonly Violation[];
}

export type ScenarioCheck =
  { readonly skipped: string } | { readonly skipped?: undefined; readonly checks: readonly VariantCheck[] };

/** Runs a scenario under every variant its `expect` names and judges each outcome. */
export function checkExpectations(
  file: string,
  scenario: Scenario,
  options: ExpectationOptions,
): ScenarioCheck {
  const expectations = Object.entries(scenario.expect ?? {}).filter(
    ([variant]) => options.variant === undefined || variant === options.variant,
  );
  if (expectations.length === 0) {
    const why =
      scenario.expect === undefined
        ? 'no expect'
        : options.variant !== undefined
          ? `no expectation for variant ${options.variant}`
          : 'expect is empty';
    return { skipped: why };
  }
  const checks = expectations.map(([variant, expectedList]): VariantCheck => {
    const seed = options.seed;
    const plan = compilePlan(scenario, {
      variant,
      ...(seed !== undefined ? { seed } : {}),
      set: options.set,
    });
    const result = runPlan(plan);
    const violated = [...new Set(result.violations.map((v) => v.invariant))].sort();
    const expected = [...new Set(expectedList)].sort();
    const pass = expectationMet(expected, violated, options.exact);
    const outcome: TestOutcome = {
      file,
      scenario: scenario.name,
      variant,
      seed: plan.seed,
      expected,
      violated,
      pass: pass && result.stoppedEarly === undefined,
      traceHash: result.traceHash,
      ...(result.stoppedEarly !== undefined ? { stoppedEarly: result.stoppedEarly } : {}),
    };
    return { outcome, violations: result.violations };
  });
  return { checks };
}

/** `[]`: nothing may break. Otherwise each listed invariant must break (and, exact, nothing else). */
export function expectationMet(
  expected: readonly string[],
  violated: readonly string[],
  exact: boolean,
): boolean {
  if (expected.length === 0 || exact)
    return violated.length === expected.length && expected.every((id) => violated.includes(id));
  return expected.every((id) => violated.includes(id));
}
