import type { CoverageSummary } from './coverage.js';
import type { Findability } from './findability.js';
import { findabilityOf, seedsWithoutVerdict } from './findability.js';
import type { RateInterval } from './wilson.js';
import type { LimitKind } from '../run/limits.js';
import type { Shard } from './shard.js';

/** One finding: an invariant a seed violated (a seed violating three invariants makes three). */
export interface Finding {
  readonly seed: number;
  readonly invariant: string;
  readonly atMs: number;
  /** Repro file written for it, or null (beyond `--max-repros`). */
  readonly repro: string | null;
  /** Shrunk repro, when shrinking ran and succeeded. */
  shrunk?: string | null;
  /** How it broke: its invariant and the shape of its causal explanation (see signature.ts). */
  readonly signature?: string;
}

/** Findings of one signature: one cause, however many seeds show it. */
export interface FindingGroup {
  readonly invariant: string;
  readonly signature: string;
  /** Seeds in the group. */
  readonly count: number;
  readonly firstSeed: number;
  readonly firstAtMs: number;
  /** The group's repro (its first finding that has one), or null. */
  readonly repro: string | null;
  readonly shrunk?: string | null;
  /** How findable the group is (its first hit, its rate over the seeds with a verdict), when known. */
  readonly seedsToFirstHit?: number;
  readonly hitRate?: RateInterval;
}

/** A clustersim bug met while fuzzing (an exception from the engine or a model), not a finding. */
export interface SeedError {
  readonly seed: number;
  readonly message: string;
  /** The command that replays the failing run (a clustersim bug to report with it). */
  readonly replay?: string;
}

/** A seed whose run stopped at a limit: no verdict, so neither a pass nor (by itself) a finding. */
export interface SeedLimit {
  readonly seed: number;
  readonly limit: LimitKind;
  readonly message: string;
}

/** `fuzz --json` (CONTRACT §4) plus what `merge` needs to join shards. */
export interface FuzzReport {
  readonly scenario: string;
  readonly file: string | null;
  readonly system: string;
  readonly variant: string;
  readonly strategy: string;
  /** The invariants that make findings (`--invariants`), or null for all. */
  readonly invariants?: readonly string[] | null;
  readonly fromSeed: number;
  /** Seeds asked for, over all shards. */
  readonly seeds: number;
  readonly shards: readonly Shard[];
  readonly seedsRun: number;
  readonly seedsPerSecond: number;
  readonly wallS: number;
  readonly workers: number;
  /** Why the campaign ended before all its seeds ran (`interrupted`, `time-limit`, `stop-on-first`), else null. */
  readonly stopped: string | null;
  readonly findings: readonly Finding[];
  /** Seeds violating each invariant (every invariant a seed violates counts, as in `compare`). */
  readonly byInvariant: Readonly<Record<string, number>>;
  readonly errors: readonly SeedError[];
  /** Per invariant (later: per cause group): seeds to first hit and hit rate (findability.ts). */
  readonly findability?: readonly Findability[];
  /** Domain coverage of the campaign (the system's abstract states), when the system declares it. */
  readonly coverage?: CoverageSummary;
  /** Findings grouped by cause (signature), largest first; absent in reports of older versions. */
  readonly groups?: readonly FindingGroup[];
  /** Seeds stopped at a limit (counted apart: never a pass). */
  readonly limited?: readonly SeedLimit[];
  /** clustersim's version, set by the CLI (`CampaignStamp`); merge refuses another one. */
  readonly clustersim?: string;
  /** The scenario's content hash, set by the CLI (`CampaignStamp`); merge refuses another one. */
  readonly scenarioHash?: string;
}

export function countByInvariant(findings: readonly Finding[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const f of findings) counts[f.invariant] = (counts[f.invariant] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The key a finding is grouped by: its signature, or its invariant when it has none. */
export function groupKey(finding: Pick<Finding, 'invariant' | 'signature'>): string {
  return finding.signature ?? `${finding.invariant}: ?`;
}

/**
 * How findable a campaign's findings are, over the seeds that reached a verdict: per invariant,
 * and the findings grouped by cause, each group with its own findability.
 */
export function findingsSummary(
  campaign: Parameters<typeof findabilityOf>[0],
  report: Pick<FuzzReport, 'findings' | 'errors' | 'limited'>,
): Pick<FuzzReport, 'findability' | 'groups'> {
  const noVerdict = seedsWithoutVerdict(report);
  const findings = report.findings;
  return {
    findability: findabilityOf(
      campaign,
      findings.map((f) => ({ seed: f.seed, key: f.invariant })),
      noVerdict,
    ),
    groups: groupFindings(findings, { ...campaign, noVerdict }),
  };
}

/**
 * Findings grouped by signature: largest group first, then by first seed (the same for any
 * workers); with `campaign`, each group's findability over the seeds that reached a verdict.
 */
export function groupFindings(
  findings: readonly Finding[],
  campaign?: Parameters<typeof findabilityOf>[0] & { readonly noVerdict: readonly number[] },
): FindingGroup[] {
  const findable = new Map(
    campaign === undefined
      ? []
      : findabilityOf(
          campaign,
          findings.map((f) => ({ seed: f.seed, key: groupKey(f) })),
          campaign.noVerdict,
        ).map((row) => [row.key, row]),
  );
  const groups = new Map<string, { first: Finding; count: number; repro: Finding | undefined }>();
  for (const f of findings) {
    const key = groupKey(f);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { first: f, count: 1, repro: f.repro !== null ? f : undefined });
    else {
      group.count++;
      if (group.repro === undefined && f.repro !== null) group.repro = f;
    }
  }
  return [...groups.entries()]
    .map(([signature, g]) => ({
      invariant: g.first.invariant,
      signature,
      count: g.count,
      firstSeed: g.first.seed,
      firstAtMs: g.first.atMs,
      repro: g.repro?.repro ?? null,
      ...(g.repro?.shrunk !== undefined ? { shrunk: g.repro.shrunk } : {}),
      ...(findable.has(signature)
        ? {
            seedsToFirstHit: findable.get(signature)!.seedsToFirstHit,
            hitRate: findable.get(signature)!.hitRate,
          }
        : {}),
    }))
    .sort((a, b) => b.count - a.count || a.firstSeed - b.firstSeed || (a.signature < b.signature ? -1 : 1));
}
