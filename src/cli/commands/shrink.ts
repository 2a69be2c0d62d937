import { join } from 'node:path';
import type { Command } from 'commander';
import { checkOutputFile, writeFileAtomic } from '../../report/write-file.js';
import { parseCount } from '../../explore/duration.js';
import type { StopSignal } from '../../explore/interrupt.js';
import { SIGNAL_EXIT, withInterrupt } from '../../explore/interrupt.js';
import type { ShrinkResult } from '../../explore/shrink.js';
import { shrinkOffThread } from '../../explore/shrink-thread.js';
import { formatDuration } from '../../util/duration.js';
import { runPlan } from '../../run/run-plan.js';
import { compilePlan, parseSetFlags } from '../../scenario/compile.js';
import { loadScenario, parseScenario } from '../../scenario/load.js';
import type { LimitFlags } from '../limit-flags.js';
import { addLimitFlags, parseLimitFlags } from '../limit-flags.js';
import { TRACE_CAPTURE_LIMIT, writeTraceFile } from '../trace-file.js';
import { UsageError } from '../../util/errors.js';
import { commandName } from '../../util/command-name.js';
import { shellQuote } from '../../util/shell-quote.js';
import { addHtmlFlag, chalkFor, parseInvariantIds, parseSeedFlag, setOption } from '../options.js';
import { writeRunHtml } from '../html-file.js';

interface ShrinkFlags extends LimitFlags {
  readonly invariant?: string;
  readonly seed?: string;
  readonly variant?: string;
  readonly set: string[];
  readonly out?: string;
  readonly trace?: string;
  readonly html?: string;
  readonly runsMax: string;
  readonly json?: boolean;
  readonly quiet?: boolean;
  readonly color: boolean;
}

export function register(program: Command): void {
  const command = program
    .command('shrink')
    .description(
      'minimises a failing scenario, keeping the same violated invariant (exit 0: shrunk, 1: it did not fail)',
    )
    .argument('<repro>', 'a failing scenario file (a repro from fuzz, or any scenario)')
    .option(
      '--invariant <id>',
      "invariant to keep violated (default: the first in the file's expect, else the first violated)",
    )
    .option(
      '--seed <n>',
      "seed to run it at, its faults drawn from it (default: the file's): shrink a fuzz finding straight from the fuzz scenario",
    )
    .option('--variant <name>', "variant to run (default: the file's)")
    .addOption(setOption())
    .option(
      '--out <file>',
      'where to write the result (default: <repro>.min.yaml beside it; with --seed, clustersim-findings/<name>-seed<N>.min.yaml)',
    )
    .option('--trace <file>', "also write a Perfetto / Chrome trace of the shrunk scenario's run")
    .option('--runs-max <n>', 'simulation runs allowed in all', '4000')
    .option('--json', 'machine output on stdout: { status, invariant, out, before, after, runs, wallMs }')
    .option('--quiet', 'print only the path written')
    .option('--no-color', 'no colours (also when NO_COLOR is set)');
  addHtmlFlag(command, "the shrunk scenario's run");
  addLimitFlags(command)
    .addHelpText(
      'after',
      `
Delta debugging over the timeline steps, then the cluster; then time: steps moved earlier, the
duration cut (for a safety invariant) so the run lasts at most about twice its last step, step
times rounded. The result is 1-minimal for single-step removal and says in its header what was
removed, and that a restart of a running node implies its crash.

Examples:
  $ clustersim shrink clustersim-findings/mantis-fuzz-as-is-seed12-no-foreign-read.yaml
  $ clustersim shrink scenarios/mantis/report.yaml --out report.min.yaml`,
    )
    .action((file: string, flags: ShrinkFlags) => shrinkCommand(file, flags));
}

async function shrinkCommand(file: string, flags: ShrinkFlags): Promise<void> {
  const scenario = loadScenario(file);
  const set = parseSetFlags(flags.set);
  const runsMax = parseCount('--runs-max', flags.runsMax, 1, 1_000_000);
  const limits = parseLimitFlags(flags);
  const seed = parseSeedFlag(flags.seed);
  if (
    flags.invariant !== undefined &&
    parseInvariantIds('--invariant', scenario.system, flags.invariant).length !== 1
  ) {
    throw new UsageError(`--invariant: one invariant id, not a list ('${flags.invariant}')`);
  }
  // Shrunk at another seed, the result is a finding of its own: it goes where fuzz puts findings,
  // not beside the scenario (a scenarios/ folder is read whole by `clustersim test`).
  const out =
    flags.out ??
    (seed !== undefined
      ? join('clustersim-findings', `${scenario.name}-seed${seed}.min.yaml`)
      : file.replace(/(\.ya?ml)?$/i, '.min.yaml'));
  // Before the shrink, which can take a while: a path that cannot be written is bad input.
  checkOutputFile(out);
  if (flags.trace !== undefined) checkOutputFile(flags.trace);
  if (flags.html !== undefined) checkOutputFile(flags.html);
  // Bad --variant / --set / --seed show up here as ScenarioError (exit 2), before the thread starts.
  compilePlan(scenario, {
    ...(flags.variant !== undefined ? { variant: flags.variant } : {}),
    ...(seed !== undefined ? { seed } : {}),
    set,
  });
  // The shrink runs in a worker thread so that Ctrl-C, SIGTERM and SIGHUP reach this one: it then
  // stops at the next candidate and keeps the smaller scenario it has.
  const { result, signal } = await withInterrupt<ShrinkResult>((interrupted) => {
    // Said once the signal handlers are in place: from here a signal stops the shrink politely.
    if (flags.quiet !== true && flags.json !== true)
      process.stderr.write(
        `clustersim: shrinking ${file} (Ctrl-C stops and keeps the smallest failing scenario so far)\n`,
      );
    return shrinkOffThread(
      scenario,
      {
        ...(flags.invariant !== undefined ? { invariant: flags.invariant } : {}),
        ...(flags.variant !== undefined ? { variant: flags.variant } : {}),
        ...(seed !== undefined ? { seed } : {}),
        set,
        runsMax,
        limits,
      },
      interrupted,
    );
  });
  const c = chalkFor(flags);
  if (result.status === 'not-failing') {
    const what = result.invariant === null ? 'any invariant' : result.invariant;
    if (flags.json === true)
      process.stdout.write(
        `${JSON.stringify({ status: 'not-failing', invariant: result.invariant, variant: result.variant, violated: result.violated })}\n`,
      );
    else
      process.stdout.write(
        `${file} does not violate ${what} under variant ${result.variant} (violated: ${result.violated.join(', ') || 'none'}); nothing to shrink\n`,
      );
    process.exitCode = signal !== null ? SIGNAL_EXIT[signal] : 1;
    return;
  }
  writeFileAtomic(out, result.yaml);
  if (flags.trace !== undefined || flags.html !== undefined) {
    // The shrunk file as `clustersim run OUT` replays it.
    const shrunk = parseScenario(result.yaml, out);
    const replay = runPlan(compilePlan(shrunk), { captureLimit: TRACE_CAPTURE_LIMIT, explain: true });
    if (flags.trace !== undefined) writeTraceFile(flags.trace, replay, shrunk);
    if (flags.html !== undefined) writeRunHtml(flags.html, replay, shrunk, `${shrunk.name} (shrunk)`);
  }
  if (flags.json === true) {
    const { before, after, runs, wallMs, invariant, variant, traceHash, oneMinimal, changes, cut } = result;
    process.stdout.write(
      `${JSON.stringify({ status: 'shrunk', invariant, variant, out, traceHash, before, after, changes, runs, oneMinimal, cut, wallMs })}\n`,
    );
  } else if (flags.quiet === true) process.stdout.write(`${out}\n`);
  else {
    const { before, after } = result;
    process.stdout.write(
      `${c.bold(`shrunk ${file}`)} keeping ${c.red(result.invariant)} (variant ${result.variant}): ` +
        `${before.steps} → ${after.steps} steps, ${formatDuration(before.durationMs)} → ${formatDuration(after.durationMs)}, ` +
        `cluster ${before.clusterItems} → ${after.clusterItems} items; ${result.runs} runs in ${(result.wallMs / 1000).toFixed(1)}s\n` +
        result.changes.map((line) => `  - ${line}\n`).join('') +
        `written to ${out}; replay: ${commandName()} run ${shellQuote(out)}\n` +
        (flags.trace !== undefined
          ? `trace of its run written to ${flags.trace} (open it in https://ui.perfetto.dev)\n`
          : '') +
        (flags.html !== undefined ? `HTML report of its run written to ${flags.html}\n` : ''),
    );
  }
  if (signal !== null) reportInterrupted(signal, out, flags.json === true);
  process.exitCode = signal !== null ? SIGNAL_EXIT[signal] : 0;
}

/** An interrupted shrink kept a smaller, still failing scenario: say it may not be minimal. */
function reportInterrupted(signal: StopSignal, out: string, json: boolean): void {
  if (json) return;
  process.stderr.write(
    `clustersim: ${signal === 'SIGINT' ? 'interrupted' : `stopped by ${signal}`}: the file written still fails but may not be minimal; go on with: ${commandName()} shrink ${shellQuote(out)}\n`,
  );
}
