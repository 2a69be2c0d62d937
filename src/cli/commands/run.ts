import type { Command } from 'commander';
import { runOutcome } from '../../run/result.js';
import { runPlan } from '../../run/run-plan.js';
import { compilePlan, parseSetFlags } from '../../scenario/compile.js';
import { loadScenario } from '../../scenario/load.js';
import { runResultToJson } from '../../report/run-json.js';
import { renderRunText } from '../../report/run-text.js';
import { checkOutputFile } from '../../report/write-file.js';
import { systemById } from '../../systems/registry.js';
import type { LimitFlags } from '../limit-flags.js';
import { addLimitFlags, EXIT_LIMIT, parseLimitFlags } from '../limit-flags.js';
import { TRACE_CAPTURE_LIMIT, writeTraceFile } from '../trace-file.js';
import type { RunFlags } from '../options.js';
import { addHtmlFlag, addOutputFlags, addSeedVariantSet, chalkFor, parseSeedFlag } from '../options.js';
import { writeRunHtml } from '../html-file.js';
import { shellQuote } from '../../util/shell-quote.js';
import { commandName } from '../../util/command-name.js';

interface RunCommandFlags extends RunFlags, LimitFlags {
  readonly trace?: string;
  readonly html?: string;
}

export function register(program: Command): void {
  const command = program
    .command('run')
    .description(
      `one deterministic run: a timeline of notable events and a summary (exit 0: every invariant and check held, 1: a violation or a failed check, ${EXIT_LIMIT}: stopped at a limit, no verdict)`,
    )
    .argument('<scenario>', 'scenario file (YAML)');
  addSeedVariantSet(command);
  addOutputFlags(command);
  addLimitFlags(command);
  addHtmlFlag(command, 'lanes, messages, violations and the causal chain');
  command
    .option('--trace <file>', 'also write a Perfetto / Chrome trace (open it in ui.perfetto.dev)')
    .addHelpText(
      'after',
      `
Examples:
  $ clustersim run scenarios/mantis/report.yaml
  $ clustersim run scenarios/mantis/report.yaml --variant fix-1a-merged --seed 3 --set workerTimeout=120s
  $ clustersim run scenarios/mantis/report.yaml --json --trace run.trace.json
  $ clustersim run scenarios/mantis/report.yaml --html report.html

A file with a traceHash (repro files) is checked: when the same seed and variant replay to a
different hash, a NON-DETERMINISM warning goes to stderr and the exit code is 1.`,
    )
    .action((file: string, flags: RunCommandFlags) => runCommand(file, flags));
}

function runCommand(file: string, flags: RunCommandFlags): void {
  const scenario = loadScenario(file);
  const set = parseSetFlags(flags.set ?? []);
  const seed = parseSeedFlag(flags.seed);
  const limits = parseLimitFlags(flags);
  const plan = compilePlan(scenario, {
    ...(flags.variant !== undefined ? { variant: flags.variant } : {}),
    ...(seed !== undefined ? { seed } : {}),
    set,
  });
  if (flags.trace !== undefined) checkOutputFile(flags.trace);
  if (flags.html !== undefined) checkOutputFile(flags.html);
  const capture = flags.trace !== undefined || flags.html !== undefined;
  const result = runPlan(plan, {
    limits,
    explain: true,
    ...(capture ? { captureLimit: TRACE_CAPTURE_LIMIT } : {}),
  });
  if (flags.trace !== undefined) writeTraceFile(flags.trace, result, scenario);
  if (flags.html !== undefined) writeRunHtml(flags.html, result, scenario);
  const rerun = [
    'run',
    file,
    '--seed',
    String(plan.seed),
    '--variant',
    plan.variant,
    ...Object.entries(set).flatMap(([k, v]) => ['--set', `${k}=${v}`]),
  ]
    .map(shellQuote)
    .join(' ');
  const rerunLine = `${commandName()} ${rerun}`;
  if (flags.json === true) process.stdout.write(`${JSON.stringify(runResultToJson(result))}\n`);
  else
    process.stdout.write(
      renderRunText(result, {
        chalk: chalkFor(flags),
        rerun: rerunLine,
        ...(flags.quiet === true ? { quiet: true } : {}),
        ...(flags.verbose === true ? { verbose: true } : {}),
      }),
    );
  if (flags.trace !== undefined && flags.json !== true && flags.quiet !== true)
    process.stdout.write(`trace written to ${flags.trace} (open it in https://ui.perfetto.dev)\n`);
  if (flags.html !== undefined && flags.json !== true && flags.quiet !== true)
    process.stdout.write(`HTML report written to ${flags.html} (open it in any browser, offline)\n`);
  if (result.limit !== undefined)
    process.stderr.write(
      `clustersim: the run stopped at a limit, so it has no verdict (exit ${EXIT_LIMIT}): ${result.limit.message}\n`,
    );
  else if (result.stoppedEarly !== undefined)
    process.stderr.write(
      `clustersim: warning: the run stopped early (${result.stoppedEarly}); invariants were judged at that point\n`,
    );

  // A violation (a finding) and a failed check step both exit 1, even when a limit stopped the
  // run later; a limit with neither is no verdict.
  const outcome = runOutcome(result);
  let exitCode = outcome === 'ok' ? 0 : outcome === 'limited' ? EXIT_LIMIT : 1;
  const model = systemById(scenario.system);
  const replaysFile =
    Object.keys(set).length === 0 &&
    plan.seed === (scenario.seed ?? 1) &&
    plan.variant === (scenario.variant ?? model.defaultVariant);
  if (scenario.traceHash !== undefined && replaysFile && scenario.traceHash !== result.traceHash) {
    const c = chalkFor(flags, process.stderr);
    process.stderr.write(
      c.red.bold('NON-DETERMINISM WARNING: ') +
        `${file} records traceHash ${scenario.traceHash}, but this run (same seed ${plan.seed}, variant ${plan.variant}) gave ${result.traceHash}.\n` +
        'Either clustersim or the model changed since the file was written, or a run is not deterministic (a bug).\n' +
        'Re-record the file, or delete its traceHash line to skip this check.\n',
    );
    exitCode = 1;
  }
  process.exitCode = exitCode;
}
