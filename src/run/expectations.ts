import type { Violation } from '../engine/index.js';
import { formatSimTime, msToUs } from '../engine/index.js';
import { isCheckStep } from '../scenario/check-step.js';
import { compilePlan } from '../scenario/compile.js';
import type { Scenario } from '../scenario/types.js';
import { systemById } from '../systems/registry.js';
import type { RunLimits } from './limits.js';
import type { CheckResult } from './result.js';
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
  /** `check` steps that did not hold (each fails the outcome), as `file:line: expected …, got …`. */
  readonly failedChecks: readonly string[];
  /** false when the file has no `expect` for this variant: only its checks are judged. */
  readonly judgesInvariants: boolean;
  readonly traceHash: string;
  readonly stoppedEarly?: string;
  /** The run reached a limit (events, simulated time, pending events): no verdict, neither pass nor fail. */
  readonly limited?: string;
}

export interface ExpectationOptions {
  /** Check only this variant's expectation. */
  readonly variant?: string;
  readonly seed?: number;
  readonly set: Readonly<Record<string, string>>;
  /** No invariant outside the list may be violated either. */
  readonly exact: boolean;
  /** Per-run limits (`--max-events`, …). @defaultValue DEFAULT_LIMITS */
  readonly limits?: Partial<RunLimits>;
}

/** A checked variant, with the run's violations for the report of a mismatch. */
export interface VariantCheck {
  readonly outcome: TestOutcome;
  readonly violations: readonly Violation[];
  /** Every judged `check` step of the run. */
  readonly checks: readonly CheckResult[];
}

export type ScenarioCheck =
  { readonly skipped: string } | { readonly skipped?: undefined; readonly checks: readonly VariantCheck[] };

/**
 * Runs a scenario under every variant its `expect` names (or, without `expect`, the variants its
 * `check` steps name) and judges each outcome: the expectation and every check step.
 */
export function checkExpectations(
  file: string,
  scenario: Scenario,
  options: ExpectationOptions,
): ScenarioCheck {
  const expectations = judgedVariants(scenario).filter(
    ([variant]) => options.variant === undefined || variant === options.variant,
  );
  if (expectations.length === 0) {
    const why =
      scenario.expect === undefined
        ? 'no expect and no check steps'
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
    const result = runPlan(plan, options.limits !== undefined ? { limits: options.limits } : {});
    const violated = [...new Set(result.violations.map((v) => v.invariant))].sort();
    const expected = [...new Set(expectedList ?? [])].sort();
    const failedChecks = result.checks
      .filter((check) => !check.holds)
      .map(
        (check) =>
          `${check.origin} at t=${formatSimTime(msToUs(check.atMs))}: expected ${check.expected}, got ${check.actual}`,
      );
    const pass =
      (expectedList === null || expectationMet(expected, violated, options.exact)) &&
      failedChecks.length === 0;
    const limited = result.limit?.message;
    const outcome: TestOutcome = {
      file,
      scenario: scenario.name,
      variant,
      seed: plan.seed,
      expected,
      violated,
      // A limited run judged nothing; a failed check before the limit still fails.
      pass: pass && result.stoppedEarly === undefined,
      ...(limited !== undefined ? { limited } : {}),
      failedChecks,
      judgesInvariants: expectedList !== null,
      traceHash: result.traceHash,
      ...(result.stoppedEarly !== undefined ? { stoppedEarly: result.stoppedEarly } : {}),
    };
    return { outcome, violations: result.violations, checks: result.checks };
  });
  return { checks };
}

/**
 * Variant → expected invariants (null: only the checks are judged). The file's `expect`; a file
 * without one but with `check` steps runs under the variants its checks name (or its own variant).
 */
function judgedVariants(scenario: Scenario): [string, readonly string[] | null][] {
  if (scenario.expect !== undefined) return Object.entries(scenario.expect);
  const checks = scenario.timeline.filter(isCheckStep);
  if (checks.length === 0) return [];
  const variants = new Set<string>();
  for (const check of checks) {
    if (check.args.variants === null)
      variants.add(scenario.variant ?? systemById(scenario.system).defaultVariant);
    else for (const variant of check.args.variants) variants.add(variant);
  }
  return [...variants].map((variant) => [variant, null]);
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
