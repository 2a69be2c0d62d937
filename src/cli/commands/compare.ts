import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { compareVariants } from '../../explore/compare.js';
import { parseCount } from '../../explore/duration.js';
import { withInterrupt } from '../../explore/interrupt.js';
import { progressBar } from '../../explore/progress.js';
import { renderCompareReport } from '../../explore/render.js';
import { randomStrategy } from '../../explore/strategy.js';
import { compilePlan, parseSetFlags } from '../../scenario/compile.js';
import { loadScenario } from '../../scenario/load.js';
import { systemById } from '../../systems/registry.js';
import { UsageError } from '../../util/errors.js';
import { chalkFor, collect, setOption } from '../options.js';

interface CompareFlags {
  readonly variants?: string;
  readonly variant?: string[];
  readonly seeds: string;
  readonly fromSeed: string;
  readonly workers?: string;
  readonly set: string[];
  readonly json?: boolean;
  readonly quiet?: boolean;
  readonly verbose?: boolean;
  readonly progress: boolean;
  readonly color: boolean;
}

export function register(program: Command): void {
  program
    .command('compare')
    .description('the same seeds under each variant: a table of outcomes and costs (exit 0)')
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
    .option('--no-color', 'no colours (also when NO_COLOR is set)')
    .addHelpText(
      'after',
      `
Examples:
  $ clustersim compare scenarios/mantis/fuzz.yaml --variants as-is,fix-1a,fix-1a-merged,fix-2 --seeds 200
  $ clustersim compare scenarios/ava/fuzz.yaml --variants pre,fixed,head --json`,
    )
    .action((file: string, flags: CompareFlags) => compareCommand(file, flags));
}

async function compareCommand(file: string, flags: CompareFlags): Promise<void> {
  const scenario = loadScenario(file);
  const set = parseSetFlags(flags.set);
  const seeds = parseCount('--seeds', flags.seeds, 1);
  const fromSeed = parseCount('--from-seed', flags.fromSeed, 0);
  const workers =
    flags.workers === undefined ? availableParallelism() : parseCount('--workers', flags.workers, 1);
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
  const report = await withInterrupt((interrupted) =>
    compareVariants({
      spec: { scenario, set, strategy: randomStrategy },
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
  if (flags.json === true) process.stdout.write(`${JSON.stringify(report)}\n`);
  else
    process.stdout.write(renderCompareReport(report, chalkFor(flags), { verbose: flags.verbose === true }));
  process.exitCode = 0;
}
