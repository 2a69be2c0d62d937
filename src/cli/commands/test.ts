import type { Command } from 'commander';
import { formatSimTime, msToUs } from '../../engine/index.js';
import type { TestOutcome } from '../../run/expectations.js';
import { checkExpectations } from '../../run/expectations.js';
import { parseSetFlags } from '../../scenario/compile.js';
import { formatProblem, loadScenario, ScenarioError } from '../../scenario/load.js';
import type { RunFlags } from '../options.js';
import type { LimitFlags } from '../limit-flags.js';
import { addLimitFlags, EXIT_LIMIT, parseLimitFlags } from '../limit-flags.js';
import { addOutputFlags, addSeedVariantSet, chalkFor, parseSeedFlag } from '../options.js';
import { commandName } from '../../util/command-name.js';
import { shellQuote } from '../../util/shell-quote.js';
import { expandScenarioPaths } from '../paths.js';

export function register(program: Command): void {
  const command = program
    .command('test')
    .description(
      'runs each scenario under every variant named in its expect and checks the outcome (exit 0: all met, 1: a mismatch, 2: bad input, 3: a run reached a limit)',
    )
    .argument('<paths...>', 'scenario files or directories (searched for *.yaml / *.yml)');
  addSeedVariantSet(command);
  addOutputFlags(command);
  addLimitFlags(command);
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
    .action((paths: string[], flags: TestFlags) => testCommand(paths, flags));
}

type TestFlags = RunFlags & LimitFlags & { exact?: boolean };

function testCommand(paths: string[], flags: TestFlags): void {
  const files = expandScenarioPaths(paths);
  const limits = parseLimitFlags(flags);
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
    const check = checkExpectations(file, scenario, {
      ...(flags.variant !== undefined ? { variant: flags.variant } : {}),
      ...(seed !== undefined ? { seed } : {}),
      set,
      exact: flags.exact === true,
      limits,
    });
    if (check.skipped !== undefined) {
      skipped.push(file);
      if (flags.quiet !== true) say(`${c.yellow('SKIP')} ${file}: ${check.skipped}`);
      continue;
    }
    for (const { outcome, violations, checks } of check.checks) {
      outcomes.push(outcome);
      const { expected, violated, variant, failedChecks } = outcome;
      const label = `${file} [${variant}, seed ${outcome.seed}]`;
      const checksText =
        checks.length === 0 ? '' : `${checks.length - failedChecks.length}/${checks.length} checks held`;
      if (outcome.limited !== undefined && failedChecks.length === 0) {
        // No verdict: neither a pass nor a mismatch (a check that failed before the limit still fails).
        say(`${c.yellow('LIMITED')} ${label}: ${outcome.limited}`);
        say(c.dim(`       re-run: clustersim run ${file} --seed ${outcome.seed} --variant ${variant}`));
      } else if (outcome.pass) {
        const extra = violated.filter((id) => !expected.includes(id));
        const also =
          extra.length === 0
            ? ''
            : c.dim(
                !outcome.judgesInvariants
                  ? ` (invariants not judged; violated: ${extra.join(', ')})`
                  : ` (also violated: ${extra.join(', ')})`,
              );
        const invariantsText = !outcome.judgesInvariants
          ? ''
          : violated.length === 0
            ? 'every invariant held'
            : `violated ${expected.join(', ')} as expected`;
        if (flags.quiet !== true)
          say(
            `${c.green('PASS')} ${label}: ${[invariantsText, checksText].filter((t) => t !== '').join('; ')}${also}`,
          );
      } else {
        const invariantsText = !outcome.judgesInvariants
          ? ''
          : `expected ${listText(expected)}, got ${listText(violated)}`;
        say(
          `${c.red('FAIL')} ${label}: ${[invariantsText, failedChecks.length > 0 ? `CHECK FAILED (${checksText})` : ''].filter((t) => t !== '').join('; ')}${outcome.stoppedEarly !== undefined ? ` (stopped early: ${outcome.stoppedEarly})` : ''}`,
        );
        for (const failed of failedChecks) say(`       check ${failed}`);
        for (const v of violations.filter((x) => !expected.includes(x.invariant))) {
          say(`       ${v.invariant} at t=${formatSimTime(msToUs(v.atMs))}: ${v.message}`);
        }
        say(
          c.dim(
            `       re-run: ${commandName()} run ${shellQuote(file)} --seed ${outcome.seed} --variant ${variant}`,
          ),
        );
      }
    }
  }
  const limited = outcomes.filter((o) => o.limited !== undefined && o.failedChecks.length === 0).length;
  const passed = outcomes.filter((o) => o.pass).length;
  const failed = outcomes.length - passed - limited;
  if (flags.json === true) {
    process.stdout.write(`${JSON.stringify({ passed, failed, limited, invalid, skipped, outcomes })}\n`);
  } else {
    const parts = [`${passed} passed`, `${failed} failed`];
    if (limited > 0) parts.push(`${limited} limited (no verdict)`);
    if (invalid.length > 0) parts.push(`${invalid.length} invalid file(s)`);
    if (skipped.length > 0) parts.push(`${skipped.length} skipped`);
    const colour = failed > 0 || invalid.length > 0 ? c.red : limited > 0 ? c.yellow : c.green;
    say(colour(parts.join(', ')));
  }
  process.exitCode = invalid.length > 0 ? 2 : failed > 0 ? 1 : limited > 0 ? EXIT_LIMIT : 0;
}

function listText(ids: readonly string[]): string {
  return ids.length === 0 ? 'no violation' : `[${ids.join(', ')}]`;
}
