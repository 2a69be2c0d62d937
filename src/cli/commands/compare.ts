import type { Command } from 'commander';
import { compareVariants } from '../../explore/compare.js';
import { parseSeedRange, parseWorkers } from '../../explore/duration.js';
import { SIGNAL_EXIT, withInterrupt } from '../../explore/interrupt.js';
import { EXIT_BUG, EXIT_LIMIT } from '../exit-codes.js';
import type { LimitFlags } from '../limit-flags.js';
import { addLimitFlags, parseLimitFlags } from '../limit-flags.js';
import { progressBar } from '../../explore/progress.js';
import { renderCompareReport } from '../../explore/render.js';
import { randomStrategy } from '../../explore/strategy.js';
import { compilePlan, parseSetFlags } from '../../scenario/compile.js';
import { loadScenario } from '../../scenario/load.js';
import { systemById } from '../../systems/registry.js';
import { UsageError } from '../../util/errors.js';
import { addHtmlFlag, chalkFor, collect, setOption } from '../options.js';
import { writeCompareHtml } from '../html-file.js';
import { checkOutputFile } from '../../report/write-file.js';

interface CompareFlags extends LimitFlags {
  readonly variants?: string;
  readonly variant?: string[];
  readonly seeds: string;
  readonly fromSeed: string;
  readonly workers?: string;
  readonly set: string[];
  readonly json?: boolean;
  readonly html?: string;
  readonly quiet?: boolean;
  readonly verbose?: boolean;
  readonly progress: boolean;
  readonly color: boolean;
}

export function register(program: Command): void {
  const command = program
    .command('compare')
    .description(
      `the same seeds under each variant: a table of outcomes and costs (exit 0; ${EXIT_LIMIT}: some run stopped at a limit; 70: some run hit a clustersim bug)`,
    )
    .argument('<scenario>', 'scenario file (YAML)')
    .option(
      '--variants <a,b,c>',
      'variants to compare, comma-separated (default: every base variant of the system)',
    )
    .option('--variant <name>', 'a variant to compare (repeatable; added to --variants)', collect)
    .option('--seeds <n>', 'seeds per variant', '100')
    .option('--from-seed <s>', 'first seed', '1')
    .option('--workers <n>', 'worker threads (default: cores); results are the same for any number')
    .addOption(setOption())
    .option(
      '--json',
      'machine output on stdout: { seeds, variants: { <name>: { violatingSeeds, violationSeconds, messages, ... } } }',
    )
    .option('--quiet', 'table only')
    .option('--verbose', 'also the mean of every metric the model reports')
    .option('--no-progress', 'no progress bar (it is shown on a terminal only anyway)')
    .option('--no-color', 'no colours (also when NO_COLOR is set)');
  addHtmlFlag(command, 'the violating rates of each variant with their 95% intervals, as a chart');
  addLimitFlags(command)
    .addHelpText(
      'after',
      `
A column where some run hit an internal error (a clustersim bug) shows no rates ("invalid") and
the command exits 70; runs stopped at a limit are counted apart (exit ${EXIT_LIMIT}). Ctrl-C, SIGTERM
and SIGHUP stop cleanly with the partial table (exit 130 / 143 / 129).

Examples:
  $ clustersim compare scenarios/mantis/fuzz.yaml --variants as-is,fix-1a,fix-1a-merged,fix-2 --seeds 200
  $ clustersim compare scenarios/ava/fuzz.yaml --variants pre,fixed,head --json`,
    )
    .action((file: string, flags: CompareFlags) => compareCommand(file, flags));
}

async function compareCommand(file: string, flags: CompareFlags): Promise<void> {
  const scenario = loadScenario(file);
  const set = parseSetFlags(flags.set);
  const { seeds, fromSeed } = parseSeedRange(flags.seeds, flags.fromSeed);
  const workers = parseWorkers(flags.workers);
  const limits = parseLimitFlags(flags);
  const model = systemById(scenario.system);
  const listed = [...(flags.variants?.split(',') ?? []), ...(flags.variant ?? [])]
    .map((v) => v.trim())
    .filter((v) => v !== '');
  const named = flags.variants !== undefined || flags.variant !== undefined;
  const variants = named ? listed : model.variants.map((v) => v.id);
  if (variants.length === 0)
    throw new UsageError('--variants: name at least one variant, e.g. --variants as-is,fix-1a-merged');
  // Every variant and --set checked before any run (ScenarioError → exit 2).
  for (const variant of variants) compilePlan(scenario, { variant, seed: fromSeed, set });
  if (flags.html !== undefined) checkOutputFile(flags.html);
  const { result: report, signal } = await withInterrupt((interrupted) =>
    compareVariants({
      spec: { scenario, set, strategy: randomStrategy, limits },
      variants,
      fromSeed,
      seeds,
      workers,
      progress: progressBar({
        total: seeds * variants.length,
        label: 'compare',
        enabled: flags.progress && flags.quiet !== true,
        quiet: flags.quiet === true || flags.json === true,
      }),
      interrupted,
    }),
  );
  if (flags.html !== undefined) writeCompareHtml(flags.html, report);
  if (flags.json === true) process.stdout.write(`${JSON.stringify(report)}\n`);
  else
    process.stdout.write(renderCompareReport(report, chalkFor(flags), { verbose: flags.verbose === true }));
  const columns = Object.values(report.variants);
  process.exitCode = columns.some((v) => v.invalid)
    ? EXIT_BUG
    : signal !== null
      ? SIGNAL_EXIT[signal]
      : columns.some((v) => v.limitedSeeds > 0)
        ? EXIT_LIMIT
        : 0;
}
