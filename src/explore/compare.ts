import { driveSeeds } from './drive.js';
import type { MeasureOutcome } from './measure.js';
import { round2 } from './merge.js';
import { openExecutor } from './pool.js';
import type { ProgressSink } from './progress.js';
import { silentProgress } from './progress.js';
import type { SeedError } from './report.js';
import type { CampaignSpec } from './seed-run.js';
import type { RateInterval } from './wilson.js';
import { wilsonInterval } from './wilson.js';

export interface CompareOptions {
  /** The scenario, `--set` and strategy; the variant comes from `variants`. */
  readonly spec: CampaignSpec;
  readonly variants: readonly string[];
  readonly fromSeed: number;
  readonly seeds: number;
  readonly workers: number;
  readonly progress?: ProgressSink;
  readonly interrupted?: () => boolean;
}

/** One column of `compare` (CONTRACT §4 `compare --json`, plus rates and means). */
export interface VariantSummary {
  /**
   * Some run hit an internal error (a clustersim bug): the column's rates cannot be trusted and
   * are not printed; `compare` exits 70. The counts below cover the other runs only.
   */
  readonly invalid: boolean;
  /** Seeds that ran to a result (all, unless interrupted), runs with an internal error excluded. */
  readonly seedsRun: number;
  /**
   * Seeds whose run stopped at a limit (no verdict past it): counted apart. Their violations seen
   * before the limit are real and counted; liveness was not judged on them.
   */
  readonly limitedSeeds: number;
  /** Seeds on which each invariant was violated at least once. */
  readonly violatingSeeds: Readonly<Record<string, number>>;
  /** The seeds on which each invariant was violated, ascending (`compare --verbose` lists them). */
  readonly seedsByInvariant: Readonly<Record<string, readonly number[]>>;
  /** The same as a rate with a 95% Wilson interval. */
  readonly violatingRate: Readonly<Record<string, RateInterval>>;
  /** Seeds with any violation. */
  readonly anyViolation: RateInterval & { readonly seeds: number };
  /** Simulated seconds with a safety invariant broken, summed over invariants and seeds. */
  readonly violationSeconds: number;
  readonly violationSecondsPerSeed: number;
  readonly messages: {
    readonly total: number;
    readonly perSeed: number;
    /** All messages per reconnection (the model's `reconnections` cost metric), or null without one. */
    readonly perReconnection: number | null;
    /** Messages the fix adds per reconnection (the model's `fixMessages` cost metric), or null. */
    readonly fixMessagesPerReconnection: number | null;
  };
  readonly reconnections: number | null;
  /** Mean of the model's recycling-delay metric (Mantis), or null. */
  readonly recyclingDelayMs: number | null;
  /** Mean time from a safety violation to its end (violation-seconds / episodes), or null. */
  readonly timeToRecoverS: number | null;
  /** Mean over seeds of every numeric model metric (dotted paths). */
  readonly metrics: Readonly<Record<string, number>>;
  readonly errors: readonly SeedError[];
}

export interface CompareReport {
  readonly scenario: string;
  readonly system: string;
  readonly fromSeed: number;
  readonly seeds: number;
  readonly variants: Readonly<Record<string, VariantSummary>>;
  readonly stopped: string | null;
  readonly wallS: number;
}

/** The same seeds under each variant, one summary per variant; identical for any `--workers`. */
export async function compareVariants(options: CompareOptions): Promise<CompareReport> {
  const startedMs = Date.now();
  const progress = options.progress ?? silentProgress;
  const seeds = Array.from({ length: options.seeds }, (_, i) => options.fromSeed + i);
  const executor = openExecutor(options.spec, options.workers);
  const variants: Record<string, VariantSummary> = {};
  let stopped: string | null = null;
  let doneBefore = 0;
  try {
    for (const [column, variant] of columnsOf(options.variants)) {
      const outcomes: MeasureOutcome[] = [];
      const drive = await driveSeeds<MeasureOutcome>({
        seeds,
        batchSize: Math.max(1, Math.min(8, Math.ceil(seeds.length / (executor.workers * 8)))),
        inFlight: executor.workers * 2,
        exec: async (batch) => {
          const reply = await executor.run({ kind: 'measure', variant, seeds: batch });
          if (reply.kind !== 'measure') throw new Error(`worker answered a measure task with ${reply.kind}`);
          return reply.outcomes;
        },
        onOutcome: (outcome) => {
          outcomes.push(outcome);
          progress.update(doneBefore + outcomes.length, { findings: {} });
          return false;
        },
        stopRequested: () => (options.interrupted?.() === true ? 'interrupted' : null),
      });
      doneBefore += outcomes.length;
      variants[column] = summarise(outcomes);
      if (drive.stopped !== null) {
        stopped = drive.stopped;
        break;
      }
    }
  } finally {
    progress.stop();
    await executor.close();
  }
  return {
    scenario: options.spec.scenario.name,
    system: options.spec.scenario.system,
    fromSeed: options.fromSeed,
    seeds: options.seeds,
    variants,
    stopped,
    wallS: round2((Date.now() - startedMs) / 1000),
  };
}

/** Column names: the variant, with `#2`, `#3` on repeats (`--variants a,a` compares a with itself). */
function columnsOf(variants: readonly string[]): [string, string][] {
  const seen = new Map<string, number>();
  return variants.map((variant) => {
    const n = (seen.get(variant) ?? 0) + 1;
    seen.set(variant, n);
    return [n === 1 ? variant : `${variant}#${n}`, variant];
  });
}

export function summarise(outcomes: readonly MeasureOutcome[]): VariantSummary {
  const n = outcomes.filter((o) => o.error === undefined).length;
  const violatingSeeds: Record<string, number> = {};
  const seedsOf = new Map<string, number[]>();
  let any = 0;
  let violationSeconds = 0;
  let episodes = 0;
  let messagesTotal = 0;
  const metricSums = new Map<string, { sum: number; count: number }>();
  const errors: SeedError[] = [];
  let limitedSeeds = 0;
  for (const outcome of outcomes) {
    if (outcome.error !== undefined) {
      // No result at all: never counted as a run without violations.
      errors.push({ seed: outcome.seed, message: outcome.error });
      continue;
    }
    if (outcome.limit !== undefined) limitedSeeds++;
    if (outcome.violations.length > 0) any++;
    for (const v of outcome.violations) {
      violatingSeeds[v.invariant] = (violatingSeeds[v.invariant] ?? 0) + 1;
      const seeds = seedsOf.get(v.invariant);
      if (seeds === undefined) seedsOf.set(v.invariant, [outcome.seed]);
      else if (seeds[seeds.length - 1] !== outcome.seed) seeds.push(outcome.seed);
      violationSeconds += v.violationSeconds;
      if (v.violationSeconds > 0) episodes += v.count;
    }
    messagesTotal += outcome.messagesTotal;
    for (const [key, value] of Object.entries(outcome.metrics)) {
      const entry = metricSums.get(key) ?? { sum: 0, count: 0 };
      entry.sum += value;
      entry.count++;
      metricSums.set(key, entry);
    }
  }
  const sortedKeys = Object.keys(violatingSeeds).sort();
  const metrics: Record<string, number> = {};
  for (const key of [...metricSums.keys()].sort()) {
    const entry = metricSums.get(key) as { sum: number; count: number };
    metrics[key] = round4(entry.sum / entry.count);
  }
  // CostMetrics keys (src/systems/system-model.ts): top-level, exact names.
  const reconnectionsTotal = metricSums.has('reconnections')
    ? (metricSums.get('reconnections')?.sum ?? 0)
    : null;
  const fixMessagesTotal = metricSums.has('fixMessages') ? (metricSums.get('fixMessages')?.sum ?? 0) : null;
  return {
    invalid: errors.length > 0,
    seedsRun: n,
    limitedSeeds,
    violatingSeeds: Object.fromEntries(sortedKeys.map((k) => [k, violatingSeeds[k] as number])),
    seedsByInvariant: Object.fromEntries(
      sortedKeys.map((k) => [k, [...(seedsOf.get(k) ?? [])].sort((a, b) => a - b)]),
    ),
    violatingRate: Object.fromEntries(
      sortedKeys.map((k) => [k, roundInterval(wilsonInterval(violatingSeeds[k] as number, n))]),
    ),
    anyViolation: { seeds: any, ...roundInterval(wilsonInterval(any, n)) },
    violationSeconds: round4(violationSeconds),
    violationSecondsPerSeed: round4(n > 0 ? violationSeconds / n : 0),
    messages: {
      total: messagesTotal,
      perSeed: round4(n > 0 ? messagesTotal / n : 0),
      perReconnection:
        reconnectionsTotal !== null && reconnectionsTotal > 0
          ? round4(messagesTotal / reconnectionsTotal)
          : null,
      fixMessagesPerReconnection:
        reconnectionsTotal !== null && reconnectionsTotal > 0 && fixMessagesTotal !== null
          ? round4(fixMessagesTotal / reconnectionsTotal)
          : null,
    },
    reconnections: reconnectionsTotal,
    recyclingDelayMs: metrics['recyclingDelayMs'] ?? null,
    timeToRecoverS: episodes > 0 ? round4(violationSeconds / episodes) : null,
    metrics,
    errors,
  };
}

function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

function roundInterval(r: RateInterval): RateInterval {
  return { rate: round4(r.rate), low: round4(r.low), high: round4(r.high) };
}
