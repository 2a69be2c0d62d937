import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatSimTime, msToUs, Rng } from '../engine/index.js';
import { writeFileAtomic } from '../report/write-file.js';
import type { PlanStep } from '../systems/system-model.js';
import { systemById } from '../systems/registry.js';
import type { RunPlan } from '../scenario/types.js';
import { CoverageTally } from './coverage.js';
import type { FuzzOptions } from './fuzz.js';
import { round2 } from './merge.js';
import { makeRepro } from './repro.js';
import type { Finding, FuzzReport, SeedError, SeedLimit } from './report.js';
import { countByInvariant, findingsSummary, groupKey } from './report.js';
import type { CampaignSpec, FuzzOutcome } from './seed-run.js';
import { compileSeed, fuzzSeed } from './seed-run.js';
import { shardSeeds } from './shard.js';

/** Seeds per generation: plans of a generation are made from the corpus as it stood before it. */
export const GENERATION = 32;
/** Share of each generation's seeds that are fresh random draws, not mutants. */
const FRESH = 0.25;
const CORPUS_MAX = 512;
/** A shift moves a step by up to this much; a buggified fault lands up to BUGGIFY_MS after a state change. */
const SHIFT_MS = 30_000;
const BUGGIFY_MS = 2_000;

interface Entry {
  readonly plan: RunPlan;
  readonly changesMs: readonly number[];
  children: number;
  productive: number;
}

const isFault = (step: PlanStep): boolean => step.origin?.startsWith('faults.') === true;
/** Generic steps whose only argument is a node, which a retarget may swap. */
const RETARGETABLE: ReadonlySet<string> = new Set(['crash', 'restart']);

/**
 * Coverage-guided search: each generation of GENERATION seeds is planned from the corpus (fault
 * schedules whose runs reached coverage points no earlier seed had), then run; a seed is either a
 * fresh draw (its own faults) or a mutant of a parent picked by how often its children found new
 * points. Mutations: drop, shift, add (a fault drawn for this seed), buggify (such a fault moved
 * to just after one of the parent's state changes), retarget a crash/restart, splice two parents.
 * Every choice comes from streams of the seed (`coverage/…`), and the corpus changes only between
 * generations, so the campaign is the same for any --workers (it runs in this thread).
 */
export async function coverageCampaign(options: FuzzOptions): Promise<FuzzReport> {
  return Promise.resolve(coverageSearch(options));
}

/** The campaign itself: synchronous, in this thread (benchmarks call it directly). */
export function coverageSearch(options: FuzzOptions): FuzzReport {
  const startedMs = Date.now();
  const model = systemById(options.spec.scenario.system);
  const spec: CampaignSpec = { ...options.spec, coverage: true };
  const tally = model.coverage === undefined ? null : new CoverageTally(model.coverage);
  const variant = compileSeed(spec, options.fromSeed).variant;
  const seeds = shardSeeds(options.fromSeed, options.seeds, options.shard);
  const findings: Finding[] = [];
  const errors: SeedError[] = [];
  const limited: SeedLimit[] = [];
  const corpus: Entry[] = [];
  const reproFor = new Set<string>();
  let reprosWritten = 0;
  let done = 0;
  let stopped: string | null = null;
  const deadlineMs = options.timeLimitMs === null ? null : startedMs + options.timeLimitMs;
  outer: for (let start = 0; start < seeds.length; start += GENERATION) {
    const generation = seeds.slice(start, start + GENERATION);
    const planned = generation.map((seed) => planSeed(spec, seed, corpus));
    const credit: { parent: Entry | null; fresh: number }[] = [];
    for (const [i, seed] of generation.entries()) {
      if (options.interrupted?.() === true) stopped = 'interrupted';
      else if (deadlineMs !== null && Date.now() >= deadlineMs) stopped = 'time-limit';
      if (stopped !== null) break outer;
      const { plan, parent } = planned[i] as { plan: RunPlan; parent: Entry | null };
      const outcome: FuzzOutcome = fuzzSeed(spec, seed, plan);
      done++;
      const fresh =
        tally !== null && outcome.coverage !== undefined ? tally.add(start + i, outcome.coverage) : 0;
      credit.push({ parent, fresh });
      if (fresh > 0 && corpus.length < CORPUS_MAX)
        corpus.push({ plan, changesMs: outcome.changesMs ?? [], children: 0, productive: 0 });
      if (outcome.error !== undefined)
        errors.push({
          seed,
          message: outcome.error,
          replay: `clustersim fuzz ${spec.scenario.file ?? '<scenario>'} --strategy coverage --from-seed ${options.fromSeed} --seeds ${done}`,
        });
      if (outcome.limit !== undefined)
        limited.push({ seed, limit: outcome.limit.kind, message: outcome.limit.message });
      for (const violation of outcome.violations) {
        const finding = {
          seed,
          invariant: violation.invariant,
          atMs: violation.atMs,
          ...(violation.signature !== undefined ? { signature: violation.signature } : {}),
        };
        let repro: string | null = null;
        // The first finding of each cause (signature) always gets a repro, as in random fuzz.
        const wanted = !reproFor.has(groupKey(finding)) || reprosWritten < options.maxRepros;
        if (wanted && options.outDir !== null) {
          repro = writeRepro(spec, finding, plan, options.outDir, (line) => options.progress?.log(line));
          reproFor.add(groupKey(finding));
          reprosWritten++;
        }
        findings.push({ ...finding, repro });
      }
      options.progress?.update(done, { findings: countByInvariant(findings) });
      if (options.stopOnFirst && outcome.violations.length > 0) {
        stopped = 'stop-on-first';
        break outer;
      }
    }
    for (const { parent, fresh } of credit) {
      if (parent === null) continue;
      parent.children++;
      if (fresh > 0) parent.productive++;
    }
  }
  options.progress?.stop();
  const wallS = (Date.now() - startedMs) / 1000;
  return {
    scenario: spec.scenario.name,
    file: spec.scenario.file ?? null,
    system: spec.scenario.system,
    variant,
    strategy: 'coverage',
    invariants: spec.invariants ?? null,
    fromSeed: options.fromSeed,
    seeds: options.seeds,
    shards: [options.shard],
    seedsRun: done,
    seedsPerSecond: round2(wallS > 0 ? done / wallS : 0),
    wallS: round2(wallS),
    workers: 1,
    stopped,
    findings,
    byInvariant: countByInvariant(findings),
    ...findingsSummary(
      { fromSeed: options.fromSeed, shards: [options.shard], seedsRun: done },
      { findings, errors, limited },
    ),
    ...(tally !== null ? { coverage: tally.summary() } : {}),
    errors,
    limited,
  };
}

/** The plan of one seed: a fresh draw, or a mutant of a corpus entry. */
function planSeed(
  spec: CampaignSpec,
  seed: number,
  corpus: readonly Entry[],
): { plan: RunPlan; parent: Entry | null } {
  const own = compileSeed(spec, seed);
  const rng = new Rng(seed, 'coverage/choice');
  if (corpus.length === 0 || rng.chance(FRESH)) return { plan: own, parent: null };
  const parent = pickParent(corpus, rng);
  const mutate = new Rng(seed, 'coverage/mutate');
  let steps = [...parent.plan.steps];
  const donor = own.steps.filter(isFault);
  const lastMs = own.durationMs - 1;
  const faultIndexes = (): number[] => steps.flatMap((s, i) => (isFault(s) ? [i] : []));
  const ops = mutate.intInclusive(1, 3);
  for (let k = 0; k < ops; k++) {
    const op = mutate.intInclusive(0, 5);
    const faults = faultIndexes();
    if (op === 0 && faults.length > 0) steps.splice(mutate.pick(faults), 1);
    else if (op === 1 && faults.length > 0) {
      const i = mutate.pick(faults);
      const step = steps[i] as PlanStep;
      const atMs = clamp(step.atMs + mutate.intInclusive(-SHIFT_MS, SHIFT_MS), 0, lastMs);
      steps[i] = { ...step, atMs };
    } else if (op === 2 && donor.length > 0) steps.push(mutate.pick(donor));
    else if (op === 3 && donor.length > 0 && parent.changesMs.length > 0) {
      const at = mutate.pick(parent.changesMs) + mutate.intInclusive(0, BUGGIFY_MS);
      steps.push({ ...mutate.pick(donor), atMs: clamp(at, 0, lastMs) });
    } else if (op === 4) {
      const nodes = [
        ...new Set(
          donor
            .concat(steps.filter(isFault))
            .filter((s) => RETARGETABLE.has(s.action))
            .map((s) => s.args as string),
        ),
      ];
      const candidates = faults.filter((i) => RETARGETABLE.has((steps[i] as PlanStep).action));
      if (candidates.length > 0 && nodes.length > 1) {
        const i = mutate.pick(candidates);
        steps[i] = { ...(steps[i] as PlanStep), args: mutate.pick(nodes) };
      }
    } else if (op === 5 && corpus.length > 1) {
      const other = mutate.pick(corpus);
      const cutMs = mutate.intInclusive(0, lastMs);
      steps = [
        ...steps.filter((s) => !isFault(s) || s.atMs < cutMs),
        ...other.plan.steps.filter((s) => isFault(s) && s.atMs >= cutMs),
      ];
    }
  }
  // Stable by time: the scenario's own steps first on ties, as compilePlan orders them.
  const ordered = steps
    .map((step, index) => ({ step, index, fault: isFault(step) ? 1 : 0 }))
    .sort((a, b) => a.step.atMs - b.step.atMs || a.fault - b.fault || a.index - b.index)
    .map(({ step }) => step);
  return { plan: { ...parent.plan, seed, steps: uniqueIds(ordered) }, parent };
}

/** Steps that create something by id (submit, create-task) keep distinct ids when copied twice. */
function uniqueIds(steps: readonly PlanStep[]): PlanStep[] {
  const seen = new Set<string>();
  return steps.map((step) => {
    const args = step.args as { id?: unknown } | null;
    if (!isFault(step) || args === null || typeof args !== 'object' || typeof args.id !== 'string')
      return step;
    let id = args.id;
    for (let n = 2; seen.has(id); n++) id = `${args.id}_${n}`;
    seen.add(id);
    return id === args.id ? step : { ...step, args: { ...args, id } };
  });
}

/** A parent, weighted by the share of its children that found new points (new entries first get a fair try). */
function pickParent(corpus: readonly Entry[], rng: Rng): Entry {
  const weights = corpus.map((e) => (1 + e.productive) / (1 + e.children));
  const total = weights.reduce((a, b) => a + b, 0);
  let x = rng.uniform() * total;
  for (const [i, w] of weights.entries()) {
    x -= w;
    if (x < 0) return corpus[i] as Entry;
  }
  return corpus[corpus.length - 1] as Entry;
}

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

function writeRepro(
  spec: CampaignSpec,
  finding: { seed: number; invariant: string; atMs: number },
  plan: RunPlan,
  outDir: string,
  log: (line: string) => void,
): string {
  const repro = makeRepro(spec, finding, plan);
  const stem = repro.fileName.replace(/\.yaml$/, '');
  let path = join(outDir, repro.fileName);
  for (let n = 2; existsSync(path) && readFileSync(path, 'utf8') !== repro.yaml; n++)
    path = join(outDir, `${stem}-${n}.yaml`);
  writeFileAtomic(path, repro.yaml);
  log(
    `seed ${finding.seed}: ${finding.invariant} at t=${formatSimTime(msToUs(finding.atMs))} → ${path}${repro.replays ? '' : ' (does not replay alone, see the file header)'}`,
  );
  return path;
}
