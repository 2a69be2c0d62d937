import type { Command } from 'commander';
import { formatSimTime, msToUs } from '../../engine/index.js';
import { runPlan } from '../../run/run-plan.js';
import { compilePlan, parseSetFlags } from '../../scenario/compile.js';
import { formatProblem, loadScenario, ScenarioError } from '../../scenario/load.js';
import type { RunFlags } from '../options.js';
import { addOutputFlags, addSeedVariantSet, chalkFor, parseSeedFlag } from '../options.js';
import { expandScenarioPaths } from '../paths.js';
import { isCheckStep } from '../../scenario/check-step.js';
import type { Scenario } from '../../scenario/types.js';
import { systemById } from '../../systems/registry.js';

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
}

export function register(program: Command): void {
  const command = program
    .command('test')
    .description(
      'runs each scenario under every variant named in its expect and checks the outcome (exit 0: all met, 1: a mismatch, 2: bad input)',
    )
    .argument('<paths...>', 'scenario files or directories (searched for *.yaml / *.yml)');
  addSeedVariantSet(command);
  addOutputFlags(command);
  command
    .option('--exact', 'the run must violate exactly the listed invariants, no others (regression suites)')
    .addHelpText(
      'after',
      `
An expectation is met when the run violates every listed invariant (CONTRACT: "invariants that
must be violated"), liveness ones included; \`fix-1a-merged: []\` means every invariant holds.
With --exact, no other invariant may be violated either. Every \`check\` step must hold too. A file
without expect but with check steps runs under the variants its checks name (else its own
variant) and only its checks are judged; other files without expect are skipped.
--variant limits the check to that variant's expectation.

Examples:
  $ clustersim test scenarios/
  $ clustersim test scenarios/mantis/report.yaml --seed 7 --json`,
    )
    .action((paths: string[], flags: RunFlags & { exact?: boolean }) => testCommand(paths, flags));
}

function testCommand(paths: string[], flags: RunFlags & { exact?: boolean }): void {
  const files = expandScenarioPaths(paths);
  const set = parseSetFlags(flags.set ?? []);
  const seed = parseSeedFlag(flags.seed);
  const c = chalkFor(flags);
  const outcomes: TestOutcome[] = [];
  const invalid: string[] = [];
  const skipped: string[] = [];
  const say = (line: string): void => {
    if (flags.json !== true) process.stdout.write(`${line}\n`);
  };
  for (const file of files) {
    let scenario;
    try {
      scenario = loadScenario(file);
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      invalid.push(file);
      for (const problem of error.problems) process.stderr.write(`${formatProblem(problem)}\n`);
      continue;
    }
    const expectations = judgedVariants(scenario).filter(
      ([variant]) => flags.variant === undefined || variant === flags.variant,
    );
    if (expectations.length === 0) {
      skipped.push(file);
      const why =
        scenario.expect === undefined
          ? 'no expect'
          : flags.variant !== undefined
            ? `no expectation for variant ${flags.variant}`
            : 'expect is empty';
      if (flags.quiet !== true) say(`${c.yellow('SKIP')} ${file}: ${why}`);
      continue;
    }
    for (const [variant, expectedList] of expectations) {
      const plan = compilePlan(scenario, { variant, ...(seed !== undefined ? { seed } : {}), set });
      const result = runPlan(plan);
      const violated = [...new Set(result.violations.map((v) => v.invariant))].sort();
      const expected = [...new Set(expectedList ?? [])].sort();
      const failedChecks = result.checks
        .filter((check) => !check.holds)
        .map(
          (check) =>
            `${check.origin} at t=${formatSimTime(msToUs(check.atMs))}: expected ${check.expected}, got ${check.actual}`,
        );
      const pass =
        (expectedList === null || expectationMet(expected, violated, flags.exact === true)) &&
        failedChecks.length === 0;
      const outcome: TestOutcome = {
        file,
        scenario: scenario.name,
        variant,
        seed: plan.seed,
        expected,
        violated,
        pass: pass && result.stoppedEarly === undefined,
        failedChecks,
        judgesInvariants: expectedList !== null,
        traceHash: result.traceHash,
        ...(result.stoppedEarly !== undefined ? { stoppedEarly: result.stoppedEarly } : {}),
      };
      outcomes.push(outcome);
      const label = `${file} [${variant}, seed ${plan.seed}]`;
      const checksText =
        result.checks.length === 0
          ? ''
          : `${result.checks.length - failedChecks.length}/${result.checks.length} checks held`;
      if (outcome.pass) {
        const extra = violated.filter((id) => !expected.includes(id));
        const also =
          extra.length === 0
            ? ''
            : c.dim(
                expectedList === null
                  ? ` (invariants not judged; violated: ${extra.join(', ')})`
                  : ` (also violated: ${extra.join(', ')})`,
              );
        const invariantsText =
          expectedList === null
            ? ''
            : violated.length === 0
              ? 'every invariant held'
              : `violated ${expected.join(', ')} as expected`;
        if (flags.quiet !== true)
          say(
            `${c.green('PASS')} ${label}: ${[invariantsText, checksText].filter((t) => t !== '').join('; ')}${also}`,
          );
      } else {
        const invariantsText =
          expectedList === null ? '' : `expected ${listText(expected)}, got ${listText(violated)}`;
        say(
          `${c.red('FAIL')} ${label}: ${[invariantsText, failedChecks.length > 0 ? `CHECK FAILED (${checksText})` : ''].filter((t) => t !== '').join('; ')}${result.stoppedEarly !== undefined ? ` (stopped early: ${result.stoppedEarly})` : ''}`,
        );
        for (const failed of failedChecks) say(`       check ${failed}`);
        for (const v of result.violations.filter((x) => !expected.includes(x.invariant))) {
          say(`       ${v.invariant} at t=${formatSimTime(msToUs(v.atMs))}: ${v.message}`);
        }
        say(c.dim(`       re-run: clustersim run ${file} --seed ${plan.seed} --variant ${variant}`));
      }
    }
  }
  const failed = outcomes.filter((o) => !o.pass).length;
  if (flags.json === true) {
    process.stdout.write(
      `${JSON.stringify({ passed: outcomes.length - failed, failed, invalid, skipped, outcomes })}\n`,
    );
  } else {
    const parts = [`${outcomes.length - failed} passed`, `${failed} failed`];
    if (invalid.length > 0) parts.push(`${invalid.length} invalid file(s)`);
    if (skipped.length > 0) parts.push(`${skipped.length} skipped`);
    say((failed > 0 || invalid.length > 0 ? c.red : c.green)(parts.join(', ')));
  }
  process.exitCode = invalid.length > 0 ? 2 : failed > 0 ? 1 : 0;
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

function listText(ids: readonly string[]): string {
  return ids.length === 0 ? 'no violation' : `[${ids.join(', ')}]`;
}
