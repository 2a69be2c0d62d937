import type { Command } from 'commander';
import { Option } from 'commander';
import { checkOutputDir, checkOutputFile, writeFileAtomic } from '../../report/write-file.js';
import { parseCount, parseDurationFlag, parseSeedRange, parseWorkers } from '../../explore/duration.js';
import { fuzzCampaign } from '../../explore/fuzz.js';
import { progressBar } from '../../explore/progress.js';
import type { FuzzReport } from '../../explore/report.js';
import type { CampaignSpec } from '../../explore/seed-run.js';
import { parseShard, wholeCampaign } from '../../explore/shard.js';
import { parseStrategy } from '../../explore/strategy.js';
import { compilePlan, parseSetFlags } from '../../scenario/compile.js';
import { loadScenario } from '../../scenario/load.js';
import { campaignStamp } from '../../explore/stamp.js';
import { addHtmlFlag, chalkFor, parseInvariantIds, setOption } from '../options.js';
import { writeFuzzHtml } from '../html-file.js';
import { shellQuote } from '../../util/shell-quote.js';
import { commandName } from '../../util/command-name.js';
import type { StopSignal } from '../../explore/interrupt.js';
import type { Shard } from '../../explore/shard.js';
import { UsageError } from '../../util/errors.js';
import { SIGNAL_EXIT, withInterrupt } from '../../explore/interrupt.js';
import { EXIT_BUG } from '../exit-codes.js';
import { invocationArgs } from '../invocation.js';
import type { LimitFlags } from '../limit-flags.js';
import { addLimitFlags, EXIT_LIMIT, parseLimitFlags } from '../limit-flags.js';
import { renderFuzzReport } from '../../explore/render.js';

interface FuzzFlags extends LimitFlags {
  readonly seeds: string;
  readonly fromSeed: string;
  readonly workers?: string;
  readonly shard?: string;
  readonly out: string;
  readonly shrink: boolean;
  readonly stopOnFirst?: boolean;
  readonly timeLimit?: string;
  readonly maxRepros: string;
  readonly strategy: string;
  readonly invariants?: string;
  readonly pctDepth: string;
  readonly variant?: string;
  readonly set: string[];
  readonly report?: string;
  readonly html?: string;
  readonly json?: boolean;
  readonly quiet?: boolean;
  readonly verbose?: boolean;
  readonly progress: boolean;
  readonly color: boolean;
}

export function register(program: Command): void {
  const command = program
    .command('fuzz')
    .description(
      "many seeds of the scenario's faults; a repro file per finding (exit 0: nothing found, 1: findings, 3: no finding but a seed stopped at a limit, 70: a clustersim bug)",
    )
    .argument('<scenario>', 'scenario file (YAML) with a faults block')
    .option('--seeds <n>', 'seeds to run (over all shards)', '1000')
    .option('--from-seed <s>', 'first seed', '1')
    .option('--workers <n>', 'worker threads (default: cores); results are the same for any number')
    .option('--shard <i/n>', 'run shard i of n (1-based); seed s belongs to shard ((s - from) mod n) + 1')
    .option('--out <dir>', 'directory for repro files', 'clustersim-findings')
    .option('--no-shrink', 'do not shrink the repro files')
    .option('--stop-on-first', 'stop at the first finding (in seed order)')
    .option('--time-limit <duration>', 'stop after this much wall time (e.g. 30s, 5m)')
    .option(
      '--max-repros <n>',
      'repro files in all; the first finding of each cause group always gets one',
      '20',
    )
    .option(
      '--invariants <ids>',
      'only these invariants (comma-separated) make findings; a run stops at the first of them',
    )
    .addOption(
      new Option(
        '--strategy <name>',
        'random (each seed its own draws), pct (message-order priorities) or coverage (fault schedules mutated from a corpus that reached new domain coverage)',
      )
        .choices(['random', 'pct', 'coverage'])
        .default('random'),
    )
    .option('--pct-depth <d>', 'PCT bug depth d (d - 1 priority change points)', '3')
    .option('--variant <name>', "variant to fuzz (default: the file's)")
    .addOption(setOption())
    .option('--report <file>', 'also write the JSON report to this file (for `clustersim merge`)')
    .option('--json', 'machine output on stdout: { seedsRun, seedsPerSecond, findings: [...] , ... }')
    .option('--quiet', 'summary only')
    .option('--verbose', 'the summary lists every finding, not the first of each invariant')
    .option('--no-progress', 'no progress bar (it is shown on a terminal only anyway)')
    .option('--no-color', 'no colours (also when NO_COLOR is set)');
  addHtmlFlag(command, 'the run of the first repro of each violated invariant');
  addLimitFlags(command)
    .addHelpText(
      'after',
      `
Exit: 0 nothing found; 1 findings; ${EXIT_LIMIT} no finding but some seed stopped at a limit (no
verdict); 70 a seed hit an internal error (a clustersim bug; the summary names it with its replay
line); 130 / 143 / 129 stopped by Ctrl-C / SIGTERM / SIGHUP.

Examples:
  $ clustersim fuzz scenarios/mantis/fuzz.yaml --seeds 2000
  $ clustersim fuzz scenarios/ava/fuzz.yaml --variant pre --strategy pct --pct-depth 3
  $ clustersim fuzz scenarios/mantis/fuzz.yaml --shard 2/8 --report shard-2.json   # then: clustersim merge shard-*.json

Ctrl-C, SIGTERM and SIGHUP stop cleanly: the summary so far is printed (and --report written),
every repro already written is kept, and the summary says how to resume.`,
    )
    .action((file: string, flags: FuzzFlags) => fuzzCommand(file, flags));
}

async function fuzzCommand(file: string, flags: FuzzFlags): Promise<void> {
  const scenario = loadScenario(file);
  const set = parseSetFlags(flags.set);
  const strategy = parseStrategy(flags.strategy, flags.pctDepth);
  const { seeds, fromSeed } = parseSeedRange(flags.seeds, flags.fromSeed);
  const workers = parseWorkers(flags.workers);
  const shard = flags.shard === undefined ? wholeCampaign : parseShard(flags.shard);
  // Its corpus grows from the seeds run before: a shard's plans would depend on the split.
  if (strategy.kind === 'coverage' && shard.count > 1)
    throw new UsageError(
      '--strategy coverage cannot be sharded (its corpus spans the whole campaign): drop --shard',
    );
  const timeLimitMs =
    flags.timeLimit === undefined ? null : parseDurationFlag('--time-limit', flags.timeLimit, 1);
  const maxRepros = parseCount('--max-repros', flags.maxRepros, 0, 100_000);
  const limits = parseLimitFlags(flags);
  const invariants =
    flags.invariants === undefined
      ? undefined
      : parseInvariantIds('--invariants', scenario.system, flags.invariants);
  const spec: CampaignSpec = {
    scenario,
    ...(flags.variant !== undefined ? { variant: flags.variant } : {}),
    set,
    strategy,
    limits,
    ...(invariants !== undefined ? { invariants } : {}),
  };
  // Bad --variant / --set show up here as ScenarioError (exit 2), before any worker starts.
  compilePlan(scenario, {
    seed: fromSeed,
    ...(flags.variant !== undefined ? { variant: flags.variant } : {}),
    set,
  });
  // Before the campaign: an output that cannot be written would otherwise fail at its end.
  checkOutputDir(flags.out);
  if (flags.report !== undefined) checkOutputFile(flags.report);
  if (flags.html !== undefined) checkOutputFile(flags.html);
  if (scenario.faults === undefined && strategy.kind === 'random') {
    process.stderr.write(
      `clustersim: warning: ${file} has no faults block, so every seed differs only in message latencies\n`,
    );
  }
  const { result: campaign, signal } = await withInterrupt<FuzzReport>((interrupted) =>
    fuzzCampaign({
      spec,
      fromSeed,
      seeds,
      shard,
      workers,
      outDir: flags.out,
      shrink: flags.shrink,
      stopOnFirst: flags.stopOnFirst === true,
      timeLimitMs,
      maxRepros,
      progress: progressBar({
        total: Math.ceil((seeds - shard.index + 1) / shard.count),
        label: 'fuzz',
        enabled: flags.progress && flags.quiet !== true,
        quiet: flags.quiet === true || flags.json === true,
      }),
      interrupted,
    }),
  );
  const report: FuzzReport = { ...campaign, ...campaignStamp(scenario) };
  if (flags.report !== undefined) writeFileAtomic(flags.report, `${JSON.stringify(report, null, 2)}\n`);
  if (flags.html !== undefined) writeFuzzHtml(flags.html, report);
  if (flags.json === true) process.stdout.write(`${JSON.stringify(report)}\n`);
  else process.stdout.write(renderFuzzReport(report, chalkFor(flags), { verbose: flags.verbose === true }));
  if (signal !== null && report.seedsRun < seedsOfShard(seeds, shard))
    process.stderr.write(`clustersim: resume with: ${resumeCommand(fromSeed, seeds, report)}\n`);
  process.exitCode = fuzzExitCode(report, signal);
}

/**
 * A clustersim bug wins (70: no count over it can be trusted), then a stop signal (128 + n), then
 * findings (1), then seeds stopped at a limit (3: no verdict), else 0.
 */
export function fuzzExitCode(report: FuzzReport, signal: StopSignal | null): number {
  if (report.errors.length > 0) return EXIT_BUG;
  if (signal !== null) return SIGNAL_EXIT[signal];
  if (report.findings.length > 0) return 1;
  if ((report.limited?.length ?? 0) > 0) return EXIT_LIMIT;
  return 0;
}

function seedsOfShard(seeds: number, shard: Shard): number {
  return Math.max(0, Math.ceil((seeds - shard.index + 1) / shard.count));
}

/**
 * The rest of the campaign as a command line: the seeds not run, same flags otherwise. Seeds are
 * handed over in order, so the rest starts right after the last one run (sharded: a shard's
 * seeds are every n-th, so the rest is that shard of the remaining range, re-based).
 */
function resumeCommand(fromSeed: number, seeds: number, report: FuzzReport): string {
  const shard = report.shards[0] ?? wholeCampaign;
  const nextFrom = fromSeed + report.seedsRun * shard.count;
  const args = invocationArgs();
  const kept: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--seeds' || arg === '--from-seed') {
      i++;
      continue;
    }
    if (arg.startsWith('--seeds=') || arg.startsWith('--from-seed=')) continue;
    kept.push(arg);
  }
  const rest = [...kept, '--from-seed', String(nextFrom), '--seeds', String(fromSeed + seeds - nextFrom)];
  return `${commandName()} ${rest.map(shellQuote).join(' ')}`;
}
