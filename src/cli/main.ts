import { Command, CommanderError } from 'commander';
import { formatProblem, ScenarioError } from '../scenario/load.js';
import { register as registerCompare } from './commands/compare.js';
import { register as registerDemo } from './commands/demo.js';
import { register as registerFuzz } from './commands/fuzz.js';
import { register as registerList } from './commands/list.js';
import { register as registerMerge } from './commands/merge.js';
import { register as registerRun } from './commands/run.js';
import { register as registerShrink } from './commands/shrink.js';
import { register as registerTest } from './commands/test.js';
import { register as registerValidate } from './commands/validate.js';
import { packageVersion } from '../report/version.js';
import { printable } from '../scenario/printable.js';
import { OutputError } from '../report/write-file.js';
import { UsageError } from './errors.js';

/** Exit codes (CONTRACT §2): 0 fine, 1 a finding / mismatch, 2 bad usage or input. */
export const EXIT_USAGE = 2;
/** An unexpected error: a bug in clustersim itself (EX_SOFTWARE of sysexits.h). */
export const EXIT_BUG = 70;

/** Builds the `clustersim` program with every command registered. */
export function buildProgram(): Command {
  const program = new Command('clustersim')
    .description('deterministic simulation of reconnection races in cluster schedulers (Mantis, Ava)')
    .version(packageVersion(), '-V, --version')
    .option('--no-color', 'no colours, for any command (also when NO_COLOR is set)')
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .addHelpText(
      'after',
      `
Examples:
  $ clustersim run scenarios/mantis/report.yaml --variant fix-1a-merged
  $ clustersim test scenarios/
  $ clustersim list invariants`,
    );
  // `clustersim --no-color run …`: the program takes --no-color wherever it stands on the line,
  // so hand it on to the command, whose own `color` flag is what its output reads.
  program.hook('preAction', (root, action) => {
    if (
      root.opts<{ color?: boolean }>().color === false &&
      action.options.some((o) => o.long === '--no-color')
    )
      action.setOptionValue('color', false);
  });
  for (const register of [
    registerRun,
    registerTest,
    registerValidate,
    registerList,
    registerDemo,
    registerFuzz,
    registerShrink,
    registerCompare,
    registerMerge,
  ]) {
    register(program);
  }
  return program;
}

/**
 * Runs the CLI; returns the exit code (bin/clustersim.js sets process.exitCode). Bad input
 * (ScenarioError, UsageError, an OutputError for a path that cannot be written, commander's
 * usage errors) → one line per problem on stderr, 2.
 * Anything else is a bug in clustersim → its stack on stderr, 70.
 */
export async function main(argv: readonly string[]): Promise<number> {
  process.exitCode = undefined;
  exitQuietlyOnClosedPipe();
  try {
    await buildProgram().parseAsync([...argv]);
  } catch (error) {
    return handleError(error);
  }
  const code = process.exitCode;
  return typeof code === 'number' ? code : Number(code ?? 0);
}

function handleError(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander already printed its message (or the help / version).
    // --help and --version exit 0; help shown because a command was missing is a usage error.
    return error.exitCode === 0 ? 0 : EXIT_USAGE;
  }
  if (error instanceof ScenarioError) {
    for (const problem of error.problems) process.stderr.write(`${formatProblem(problem)}\n`);
    return EXIT_USAGE;
  }
  if (error instanceof UsageError || error instanceof OutputError) {
    process.stderr.write(`clustersim: ${printable(error.message)}\n`);
    return EXIT_USAGE;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(
    `clustersim: internal error — this is a bug in clustersim, please report it with the command line:\n${detail}\n`,
  );
  return EXIT_BUG;
}

/**
 * `clustersim list | head`: a reader that goes away is not an error worth a stack trace; the
 * exit code stays what the command decided. Any other failure to write stdout or stderr (a full
 * disk, an I/O error) is an output that cannot be written: one line, exit 2 — never the stack
 * and exit 1 of an uncaught error, since 1 means a finding.
 */
function exitQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.listenerCount('error') > 0) continue;
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      if (stream === process.stdout) {
        const reason = error.code === 'ENOSPC' ? 'no space left on device' : (error.code ?? error.message);
        try {
          process.stderr.write(`clustersim: cannot write to stdout: ${reason}\n`);
        } catch {
          // stderr is gone too
        }
      }
      process.exit(EXIT_USAGE);
    });
  }
}
