import { formatSimTime, msToUs } from '../engine/index.js';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { writeFileAtomic } from '../report/write-file.js';
import type { DriveResult } from './drive.js';
import { driveSeeds } from './drive.js';
import { round2 } from './merge.js';
import type { TaskExecutor } from './pool.js';
import { openExecutor } from './pool.js';
import type { ProgressSink } from './progress.js';
import { silentProgress } from './progress.js';
import { makeRepro } from './repro.js';
import { shellQuote } from '../util/shell-quote.js';
import type { Finding, FuzzReport, SeedError, SeedLimit } from './report.js';
import { CoverageTally } from './coverage.js';
import { coverageCampaign } from './coverage-search.js';
import { systemById } from '../systems/registry.js';
import { countByInvariant, findingsSummary, groupKey } from './report.js';
import type { CampaignSpec, FuzzOutcome } from './seed-run.js';
import { compileSeed, pctProbeMessages } from './seed-run.js';
import type { Shard } from './shard.js';
import { shardSeeds } from './shard.js';
import { describeStrategy } from './strategy.js';

export interface FuzzOptions {
  readonly spec: CampaignSpec;
  /** @defaultValue 1 */
  readonly fromSeed: number;
  /** Seeds over all shards. @defaultValue 1000 */
  readonly seeds: number;
  readonly shard: Shard;
  readonly workers: number;
  /** Where repro files go; null = write none. */
  readonly outDir: string | null;
  readonly shrink: boolean;
  readonly stopOnFirst: boolean;
  readonly timeLimitMs: number | null;
  /** Repro files in all, beyond the first finding of each group (signature), which always gets one. */
  readonly maxRepros: number;
  readonly progress?: ProgressSink;
  /** Polled between batches: true after Ctrl-C. */
  readonly interrupted?: () => boolean;
  /** See ExecutorOptions.poolAfterS (0: start the pool threads at once). */
  readonly poolAfterS?: number;
}

/**
 * A fuzz campaign: every seed of the shard compiled with its own faults (swarm included) and run
 * until every counted invariant is violated (else to its end), each violation explained and
 * signed by its cause; findings handed over in seed order, so the report is the same for any
 * number of workers; a repro for the first finding of each cause group (more, capped), then
 * each repro shrunk under its group's cause.
 */
export async function fuzzCampaign(options: FuzzOptions): Promise<FuzzReport> {
  if (options.spec.strategy.kind === 'coverage') return coverageCampaign(options);
  const startedMs = Date.now();
  const progress = options.progress ?? silentProgress;
  const log = (line: string): void => progress.log(line);
  // PCT's k is measured on the campaign's first seed, never the shard's: all shards agree.
  const withPct: CampaignSpec =
    options.spec.strategy.kind === 'pct' && options.spec.pctMessagesExpected === undefined
      ? { ...options.spec, pctMessagesExpected: pctProbeMessages(options.spec, options.fromSeed) }
      : options.spec;
  // Domain coverage is recorded whenever the system declares it (the runs and verdicts are the same).
  const coverageSpec = systemById(withPct.scenario.system).coverage;
  const spec: CampaignSpec = { ...withPct, coverage: withPct.coverage ?? coverageSpec !== undefined };
  const tally = spec.coverage === true && coverageSpec !== undefined ? new CoverageTally(coverageSpec) : null;
  const variant = compileSeed(spec, options.fromSeed).variant;
  const seeds = shardSeeds(options.fromSeed, options.seeds, options.shard);
  const findings: Finding[] = [];
  const findingsByInvariant: Record<string, number> = {};
  const errors: SeedError[] = [];
  const limited: SeedLimit[] = [];
  const reproFor = new Set<string>();
  let reprosWritten = 0;
  const workers = Math.max(1, Math.floor(options.workers));
  const batchSize = Math.max(1, Math.min(16, Math.ceil(seeds.length / (workers * 16))));
  const deadlineMs = options.timeLimitMs === null ? undefined : startedMs + options.timeLimitMs;
  const executor: TaskExecutor = openExecutor(spec, workers, {
    expectedTasks: Math.ceil(seeds.length / batchSize),
    ...(options.poolAfterS !== undefined ? { poolAfterS: options.poolAfterS } : {}),
  });
  let drive: DriveResult;
  try {
    drive = await driveSeeds<FuzzOutcome>({
      seeds,
      batchSize,
      inFlight: executor.workers * 2,
      exec: async (batch) => {
        const reply = await executor.run({
          kind: 'fuzz',
          seeds: batch,
          ...(deadlineMs !== undefined ? { deadlineMs } : {}),
        });
        if (reply.kind !== 'fuzz') throw new Error(`worker answered a fuzz task with ${reply.kind}`);
        return reply.outcomes;
      },
      onOutcome: (outcome) => {
        if (outcome.error !== undefined) {
          // A clustersim bug: the seed is neither a pass nor a finding (the campaign exits 70).
          const replay = replayCommand(spec, outcome.seed, variant);
          errors.push({ seed: outcome.seed, message: outcome.error, replay });
          log(
            `seed ${outcome.seed}: clustersim error (a bug in clustersim, not a finding): ${outcome.error.split('\n')[0] ?? ''}; replay: ${replay}`,
          );
        }
        if (outcome.limit !== undefined) {
          limited.push({ seed: outcome.seed, limit: outcome.limit.kind, message: outcome.limit.message });
          if (limited.length === 1)
            log(`seed ${outcome.seed}: stopped at a limit, no verdict: ${outcome.limit.message}`);
        }
        for (const violation of outcome.violations) {
          const finding = {
            seed: outcome.seed,
            invariant: violation.invariant,
            atMs: violation.atMs,
            ...(violation.signature !== undefined ? { signature: violation.signature } : {}),
          };
          // The first finding of each cause (signature) always gets a repro.
          const wanted = !reproFor.has(groupKey(finding)) || reprosWritten < options.maxRepros;
          let repro: string | null = null;
          if (wanted && options.outDir !== null) {
            repro = writeRepro(spec, finding, options.outDir, log);
            reproFor.add(groupKey(finding));
            reprosWritten++;
          }
          findings.push({ ...finding, repro });
          // Counted as they come: recounting every finding per seed was quadratic.
          findingsByInvariant[finding.invariant] = (findingsByInvariant[finding.invariant] ?? 0) + 1;
        }
        if (tally !== null && outcome.coverage !== undefined)
          tally.add(countDone(outcome.seed, seeds) - 1, outcome.coverage);
        progress.update(countDone(outcome.seed, seeds), { findings: findingsByInvariant });
        return options.stopOnFirst && outcome.violations.length > 0;
      },
      stopRequested: () => {
        if (options.interrupted?.() === true) return 'interrupted';
        if (deadlineMs !== undefined && Date.now() >= deadlineMs) return 'time-limit';
        return null;
      },
    });
    progress.stop();
    const seedsWallS = (Date.now() - startedMs) / 1000;
    let stopped = drive.stopped;
    const pastDeadline = (): boolean => deadlineMs !== undefined && Date.now() >= deadlineMs;
    if (options.shrink && options.outDir !== null && options.interrupted?.() !== true && !pastDeadline()) {
      const cut = await shrinkFindings(executor, findings, {
        variant,
        errors,
        log,
        stopRequested: () =>
          options.interrupted?.() === true ? 'interrupted' : pastDeadline() ? 'time-limit' : null,
        ...(deadlineMs !== undefined ? { deadlineMs } : {}),
      });
      if (cut !== null && stopped === null) stopped = cut;
    }
    const wallS = (Date.now() - startedMs) / 1000;
    return {
      scenario: spec.scenario.name,
      file: spec.scenario.file ?? null,
      system: spec.scenario.system,
      variant,
      strategy: describeStrategy(spec.strategy),
      invariants: spec.invariants ?? null,
      fromSeed: options.fromSeed,
      seeds: options.seeds,
      shards: [options.shard],
      seedsRun: drive.done,
      seedsPerSecond: round2(seedsWallS > 0 ? drive.done / seedsWallS : 0),
      wallS: round2(wallS),
      workers: executor.workers,
      stopped,
      findings,
      byInvariant: countByInvariant(findings),
      ...findingsSummary(
        { fromSeed: options.fromSeed, shards: [options.shard], seedsRun: drive.done },
        { findings, errors, limited },
      ),
      ...(tally !== null ? { coverage: tally.summary() } : {}),
      errors,
      limited,
    };
  } finally {
    progress.stop();
    await executor.close();
  }
}

/** Seeds of the shard done once `seed` is handed over (seeds are handed over in order). */
function countDone(seed: number, seeds: readonly number[]): number {
  // Shard seeds are an arithmetic progression, so the position is arithmetic too.
  const first = seeds[0] ?? seed;
  const step = seeds.length > 1 ? (seeds[1] as number) - first : 1;
  return Math.floor((seed - first) / step) + 1;
}

function writeRepro(
  spec: CampaignSpec,
  finding: { seed: number; invariant: string; atMs: number },
  outDir: string,
  log: (line: string) => void,
): string {
  const repro = makeRepro(spec, finding);
  const path = freePath(outDir, repro.fileName, repro.yaml);
  writeFileAtomic(path, repro.yaml);
  log(
    `seed ${finding.seed}: ${finding.invariant} at t=${formatSimTime(msToUs(finding.atMs))} → ${path}${repro.replays ? '' : ' (does not replay alone, see the file header)'}`,
  );
  return path;
}

interface ShrinkQueueOptions {
  readonly variant: string;
  /** Internal errors met while shrinking are added here (the campaign then exits 70). */
  readonly errors: SeedError[];
  readonly log: (line: string) => void;
  /** Polled before each shrink: a reason to stop (`interrupted`, `time-limit`), or null. */
  readonly stopRequested: () => string | null;
  /** `--time-limit`: a shrink running past it stops and keeps what it has. */
  readonly deadlineMs?: number;
}

/**
 * Every repro written gets its minimal version, the first of each invariant queued first;
 * --max-repros bounds how many there are. One lane per worker takes the next finding only while
 * no stop was asked for, so a Ctrl-C keeps the shrinks done (the first ones) and skips the rest.
 * Returns why the queue was cut short, or null when every shrink ran.
 */
/**
 * Where a repro goes: its name, unless a file of that name holds something else (another
 * campaign whose name agrees, e.g. a scenario file of the same `name:` elsewhere); then the first
 * free `-2`, `-3`, … A file with the same bytes is this campaign's own, written again.
 */
function freePath(outDir: string, fileName: string, text: string): string {
  const stem = fileName.replace(/\.yaml$/, '');
  for (let n = 1; ; n++) {
    const path = join(outDir, n === 1 ? fileName : `${stem}-${n}.yaml`);
    if (!existsSync(path) || readFileSync(path, 'utf8') === text) return path;
  }
}

async function shrinkFindings(
  executor: TaskExecutor,
  findings: Finding[],
  options: ShrinkQueueOptions,
): Promise<string | null> {
  const { log } = options;
  const firsts: Finding[] = [];
  const rest: Finding[] = [];
  const seen = new Set<string>();
  for (const f of findings) {
    if (f.repro === null) continue;
    (seen.has(groupKey(f)) ? rest : firsts).push(f);
    seen.add(groupKey(f));
  }
  const queue = [...firsts, ...rest];
  const shrinkOne = async (finding: Finding): Promise<void> => {
    const file = finding.repro as string;
    const reply = await executor.run({
      kind: 'shrink',
      request: {
        file,
        text: readFileSync(file, 'utf8'),
        invariant: finding.invariant,
        ...(finding.signature !== undefined ? { signature: finding.signature } : {}),
        variant: options.variant,
        ...(options.deadlineMs !== undefined ? { deadlineMs: options.deadlineMs } : {}),
      },
    });
    if (reply.kind !== 'shrink') throw new Error(`worker answered a shrink task with ${reply.kind}`);
    if (!reply.reply.ok) {
      finding.shrunk = null;
      if (reply.reply.internal === true) {
        options.errors.push({
          seed: finding.seed,
          message: reply.reply.why,
          replay: `clustersim shrink ${file} --invariant ${finding.invariant}`,
        });
        log(
          `shrink ${basename(file)}: clustersim error (a bug in clustersim): ${reply.reply.why.split('\n')[0] ?? ''}`,
        );
      } else log(`shrink ${basename(file)}: ${reply.reply.why}`);
      return;
    }
    const shrunkPath = file.replace(/\.yaml$/, '.min.yaml');
    writeFileAtomic(shrunkPath, reply.reply.yaml);
    finding.shrunk = shrunkPath;
    const { before, after } = reply.reply;
    log(
      `shrunk ${basename(file)}: ${before.steps} → ${after.steps} steps in ${(reply.reply.wallMs / 1000).toFixed(1)}s → ${shrunkPath}${reply.reply.cut ? ' (cut short by --time-limit: smaller, maybe not minimal)' : ''}`,
    );
  };
  let next = 0;
  let cut: string | null = null;
  const lane = async (): Promise<void> => {
    while (next < queue.length) {
      const stop = options.stopRequested();
      if (stop !== null) {
        cut ??= stop;
        return;
      }
      await shrinkOne(queue[next++] as Finding);
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(executor.workers, queue.length)) }, () => lane()),
  );
  return cut;
}

/** The command that replays one seed of the campaign, for a clustersim bug report. */
export function replayCommand(spec: CampaignSpec, seed: number, variant: string): string {
  const file = spec.scenario.file ?? `<${spec.scenario.name}.yaml>`;
  const set = Object.entries(spec.set ?? {}).flatMap(([k, v]) => ['--set', `${k}=${v}`]);
  const args =
    spec.strategy.kind === 'pct'
      ? [
          'clustersim',
          'fuzz',
          file,
          '--variant',
          variant,
          '--strategy',
          'pct',
          '--pct-depth',
          String(spec.strategy.depth),
          '--from-seed',
          String(seed),
          '--seeds',
          '1',
          '--workers',
          '1',
          '--no-shrink',
          ...set,
        ]
      : ['clustersim', 'run', file, '--seed', String(seed), '--variant', variant, ...set];
  return args.map(shellQuote).join(' ');
}
