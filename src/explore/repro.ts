import { formatSimTime, msToUs } from '../engine/index.js';
import { createHash } from 'node:crypto';
import { runPlan } from '../run/run-plan.js';
import { compilePlan } from '../scenario/compile.js';
import { parseScenario } from '../scenario/load.js';
import { planToScenario, scenarioToYaml } from '../scenario/write.js';
import type { CampaignSpec } from './seed-run.js';
import { compileSeed } from './seed-run.js';
import { describeStrategy } from './strategy.js';
import type { RunPlan } from '../scenario/types.js';

export interface Repro {
  readonly fileName: string;
  readonly yaml: string;
  readonly traceHash: string;
  /** Invariants the full replay violates (the finding's first, then any others). */
  readonly violated: readonly string[];
  /** The full replay of the file shows the finding's invariant again. */
  readonly replays: boolean;
}

/**
 * The repro file of a finding (CONTRACT §4): the scenario with the seed fixed, the drawn faults
 * written out as timeline steps, `faults` removed, `expect: { <variant>: [...] }` and the
 * traceHash. The hash is that of the written file re-read and run in full, exactly as
 * `clustersim run repro.yaml` runs it (the fuzz run itself stopped at the first violation), so
 * the check in `run` compares like with like.
 */
export function makeRepro(
  spec: CampaignSpec,
  finding: { readonly seed: number; readonly invariant: string; readonly atMs: number },
  /** The seed's plan when a strategy made it (coverage search's mutated schedules). */
  seedPlan?: RunPlan,
): Repro {
  const plan = seedPlan ?? compileSeed(spec, finding.seed);
  const fileName = `${campaignSlug(spec, plan.variant)}-seed${finding.seed}-${finding.invariant}.yaml`;
  const description = `Found by clustersim fuzz (seed ${finding.seed}, ${describeStrategy(spec.strategy)}): ${finding.invariant} at t=${formatSimTime(msToUs(finding.atMs))}.`;
  const draft = scenarioToYaml(planToScenario(plan, { description }));
  const replay = runPlan(compilePlan(parseScenario(draft, fileName)));
  const others = replay.violations.map((v) => v.invariant).filter((id) => id !== finding.invariant);
  const replays = replay.violations.some((v) => v.invariant === finding.invariant);
  const violated = replays ? [finding.invariant, ...others] : replay.violations.map((v) => v.invariant);
  const header = [
    `Repro written by clustersim fuzz from ${spec.scenario.file ?? spec.scenario.name}, seed ${finding.seed}, variant ${plan.variant}, strategy ${describeStrategy(spec.strategy)}.`,
    `Faults drawn for this seed are explicit timeline steps below${plan.faultsOff.length > 0 ? ` (swarm switched off: ${plan.faultsOff.join(', ')})` : ''}.`,
    `Replay: clustersim run ${fileName}    Minimise: clustersim shrink ${fileName}`,
    ...(replays
      ? []
      : [
          `WARNING: this file alone does not show ${finding.invariant} again (the ${describeStrategy(spec.strategy)} strategy reordered deliveries).`,
          `Replay the finding with: clustersim fuzz ${spec.scenario.file ?? '<scenario>'} --strategy ${spec.strategy.kind}${spec.strategy.kind === 'pct' ? ` --pct-depth ${spec.strategy.depth}` : ''} --from-seed ${finding.seed} --seeds 1 --workers 1`,
        ]),
  ];
  const scenario = planToScenario(plan, {
    description,
    expect: { [plan.variant]: violated },
    traceHash: replay.traceHash,
  });
  return {
    fileName,
    yaml: scenarioToYaml(scenario, header.join('\n')),
    traceHash: replay.traceHash,
    violated,
    replays,
  };
}

/**
 * What names a campaign in its repro files: the scenario, the variant, the strategy (PCT with its
 * depth and k) and a digest of `--set`, so a second campaign into the same folder never replaces
 * another's repros (`mantis-fuzz-fix-2-seed12-…`, `…-as-is-pct3k1592-set1a2b3c4d-seed12-…`).
 */
export function campaignSlug(spec: CampaignSpec, variant: string): string {
  const parts = [spec.scenario.name, variant.replace(/[^A-Za-z0-9+._-]/g, '_')];
  if (spec.strategy.kind === 'coverage') parts.push('cov');
  if (spec.strategy.kind === 'pct')
    parts.push(`pct${spec.strategy.depth}k${spec.pctMessagesExpected ?? 1000}`);
  const set = Object.entries(spec.set ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (set.length > 0)
    parts.push(`set${createHash('sha256').update(JSON.stringify(set)).digest('hex').slice(0, 8)}`);
  return parts.join('-');
}
