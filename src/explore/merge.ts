import { UsageError } from '../util/errors.js';
import type { FuzzReport } from './report.js';
import { countByInvariant, findingsSummary } from './report.js';
import type { Shard } from './shard.js';

export interface MergedReport extends FuzzReport {
  /** Shards of the campaign no input covered (`[3]` of 4): the merge is partial. */
  readonly missingShards: readonly number[];
}

/**
 * Joins shard reports of one campaign into the report an unsharded run gives: findings in seed
 * order, counts summed. seedsPerSecond is the sum over shards (they ran side by side); wallS
 * the longest shard.
 */
export function mergeReports(
  reports: readonly { readonly file: string; readonly report: FuzzReport }[],
): MergedReport {
  const first = reports[0];
  if (first === undefined) throw new UsageError('merge: give at least one report.json');
  const key = (r: FuzzReport): string =>
    JSON.stringify([r.scenario, r.system, r.variant, r.strategy, r.invariants ?? null, r.fromSeed, r.seeds]);
  const stamp = (r: FuzzReport): string => JSON.stringify([r.clustersim ?? null, r.scenarioHash ?? null]);
  const count = first.report.shards[0]?.count ?? 1;
  const seen = new Map<number, string>();
  for (const { file, report } of reports) {
    if (!Array.isArray(report.findings) || !Array.isArray(report.shards))
      throw new UsageError(
        `${file}: not a clustersim fuzz report (run \`clustersim fuzz --json\` to make one)`,
      );
    if (key(report) !== key(first.report)) {
      throw new UsageError(
        `${file}: from another campaign than ${first.file} (scenario, system, variant, strategy, --invariants, --from-seed and --seeds must match)`,
      );
    }
    if (stamp(report) !== stamp(first.report)) {
      throw new UsageError(
        report.clustersim !== first.report.clustersim
          ? `${file}: made by clustersim ${report.clustersim ?? '(unknown)'}, ${first.file} by ${first.report.clustersim ?? '(unknown)'}; re-run the shards with one version`
          : `${file}: its scenario's content differs from ${first.file}'s (the file was edited between shards); re-run the shards with one version of it`,
      );
    }
    for (const shard of report.shards) {
      if (shard.count !== count)
        throw new UsageError(
          `${file}: shard ${shard.index}/${shard.count} does not match ${first.file}'s ${count} shards`,
        );
      const earlier = seen.get(shard.index);
      if (earlier !== undefined)
        throw new UsageError(`${file}: shard ${shard.index}/${count} is also in ${earlier}`);
      seen.set(shard.index, file);
    }
  }
  const shards: Shard[] = [...seen.keys()].sort((a, b) => a - b).map((index) => ({ index, count }));
  const missingShards: number[] = [];
  for (let i = 1; i <= count; i++) if (!seen.has(i)) missingShards.push(i);
  const findings = reports.flatMap(({ report }) => report.findings).sort((a, b) => a.seed - b.seed);
  const errors = reports.flatMap(({ report }) => report.errors ?? []).sort((a, b) => a.seed - b.seed);
  const limited = reports.flatMap(({ report }) => report.limited ?? []).sort((a, b) => a.seed - b.seed);
  const stops = reports.map(({ report }) => report.stopped).filter((s): s is string => s !== null);
  return {
    scenario: first.report.scenario,
    file: first.report.file,
    system: first.report.system,
    variant: first.report.variant,
    strategy: first.report.strategy,
    invariants: first.report.invariants ?? null,
    fromSeed: first.report.fromSeed,
    seeds: first.report.seeds,
    shards,
    seedsRun: reports.reduce((n, { report }) => n + report.seedsRun, 0),
    seedsPerSecond: round2(reports.reduce((n, { report }) => n + report.seedsPerSecond, 0)),
    wallS: Math.max(...reports.map(({ report }) => report.wallS)),
    workers: reports.reduce((n, { report }) => n + report.workers, 0),
    stopped: stops[0] ?? null,
    findings,
    byInvariant: countByInvariant(findings),
    ...findingsSummary(
      {
        fromSeed: first.report.fromSeed,
        shards,
        seedsRun: reports.reduce((n, { report }) => n + report.seedsRun, 0),
      },
      { findings, errors, limited },
    ),
    errors,
    limited,
    missingShards,
    ...(first.report.clustersim !== undefined ? { clustersim: first.report.clustersim } : {}),
    ...(first.report.scenarioHash !== undefined ? { scenarioHash: first.report.scenarioHash } : {}),
  };
}

export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
