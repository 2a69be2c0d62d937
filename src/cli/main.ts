import { Command, CommanderError } from 'commander';
import { packageVersion } from '../report/version.js';
import { printable } from '../scenario/printable.js';

type Register = (program: Command) => void;

/**
 * Each command's module, loaded only when needed: `run` never imports the explorer, piscina or
 * cli-progress, and `--version` imports no command at all. Order = order in `--help`.
 */
const COMMANDS: Readonly<Record<string, () => Promise<{ register: Register }>>> = {
  run: () => import('./commands/run.js'),
  test: () => import('./commands/test.js'),
  validate: () => import('./commands/validate.js'),
  list: () => import('./commands/list.js'),
  demo: () => import('./commands/demo.js'),
  fuzz: () => import('./commands/fuzz.js'),
  shrink: () => import('./commands/shrink.js'),
  compare: () => import('./commands/compare.js'),
  merge: () => import('./commands/merge.js'),
};

/** The commands a command line needs: the one it names, none for --version, else all (help). */
function commandsFor(args: readonly string[]): string[] {
  const named = args.find((arg) => !arg.startsWith('-'));
  if (named !== undefined && Object.hasOwn(COMMANDS, named)) return [named];
  if (named === undefined && args.some((arg) => arg === '-V' || arg === '--version')) return [];
  return Object.keys(COMMANDS);
}
import { UsageError } from '../util/errors.js';

import { EXIT_BUG, EXIT_USAGE } from './exit-codes.js';
import { setInvocation } from './invocation.js';

export { EXIT_BUG, EXIT_LIMIT, EXIT_USAGE } from './exit-codes.js';

/** Builds the `clustersim` program with the commands `args` (argv without node and script) need. */
async function buildProgram(args: readonly string[]): Promise<Command> {
  const registers = await Promise.all(
    commandsFor(args).map(async (name) => (await COMMANDS[name]!()).register),
  );
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
  for (const register of registers) register(program);
  return program;
}

/**
 * Checks a command line against the CLI's parser without running it: unknown commands and
 * options, missing arguments and bad flag values (each flag's own parser) are reported, as
 * commander's message; nothing is read, written or simulated. Used by the docs' code-block test.
 */
export async function parseOnly(args: readonly string[]): Promise<string | undefined> {
  const program = await buildProgram(args);
  let message = '';
  const silence = (command: Command): void => {
    command.configureOutput({ writeOut: () => undefined, writeErr: (text) => (message += text) });
    for (const sub of command.commands) silence(sub.action(() => undefined));
  };
  silence(program);
  try {
    await program.parseAsync(['node', 'clustersim', ...args]);
    return undefined;
  } catch (error) {
    if (error instanceof CommanderError && error.exitCode === 0) return undefined;
    return message.trim() || (error instanceof Error ? error.message : String(error));
  }
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
  setInvocation(argv.slice(2));
  try {
    const args = argv.slice(2);
    if (commandsFor(args).length === 1 && !args.includes('--help') && !args.includes('-h'))
      await loadPlugins();
    await (await buildProgram(args)).parseAsync([...argv]);
  } catch (error) {
    return await handleError(error);
  }
  const code = process.exitCode;
  return typeof code === 'number' ? code : Number(code ?? 0);
}

/**
 * The project's plug-in systems (`clustersim.config.ts` here or in a parent folder), before any
 * command reads a scenario or lists systems. A scenario may also name its own (the loader's job).
 */
async function loadPlugins(): Promise<void> {
  await import('../index.js'); // hands the package to plug-ins as `clustersim`
  const { loadProjectConfig } = await import('../systems/plugin-loader.js');
  loadProjectConfig(process.cwd());
}

async function handleError(error: unknown): Promise<number> {
  // Loaded here, not at start-up: the loader pulls in zod, yaml and every system model.
  const { formatProblem, ScenarioError } = await import('../scenario/load.js');
  const { OutputError } = await import('../report/write-file.js');
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
