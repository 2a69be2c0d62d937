import type { CompareReport } from '../explore/compare.js';
import type { FuzzReport } from '../explore/report.js';
import { groupKey } from '../explore/report.js';
import type { RateRow } from '../report/html/compare-chart.js';
import { renderCompareSection } from '../report/html/compare-chart.js';
import type { PageSection } from '../report/html/page.js';
import { renderPage } from '../report/html/page.js';
import { renderRunSection } from '../report/html/run-section.js';
import { writeFileAtomic } from '../report/write-file.js';
import type { RunResult } from '../run/result.js';
import { runPlan } from '../run/run-plan.js';
import { compilePlan } from '../scenario/compile.js';
import { loadScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/types.js';
import { systemById } from '../systems/registry.js';
import { TRACE_CAPTURE_LIMIT } from './trace-file.js';

const INTRO =
  'Offline report made by clustersim: one lane per node and actor, process and worker lifetimes as spans, ' +
  'messages as arrows from send to delivery, violations as red bands, the causal chain in red.';

/** A run's section; `result` must come from a run made with `captureLimit: TRACE_CAPTURE_LIMIT`. */
function runSection(result: RunResult, scenario: Scenario, id: string, title?: string): PageSection {
  return renderRunSection(result, systemById(scenario.system).nodes(scenario.cluster), {
    id,
    ...(title !== undefined ? { title } : {}),
  });
}

/** `run --html FILE` (and `shrink --html`): the page of one run. */
export function writeRunHtml(path: string, result: RunResult, scenario: Scenario, title?: string): void {
  writeFileAtomic(
    path,
    renderPage(`clustersim: ${title ?? scenario.name}`, INTRO, [runSection(result, scenario, 'run1')]),
  );
}

/**
 * `fuzz --html FILE`: one section per invariant found, the run of its first repro (the shrunk one
 * when shrinking made it), replayed here with full trace capture.
 */
export function writeFuzzHtml(path: string, report: FuzzReport): void {
  // One section per cause group (its repro), the group's signature as the title.
  const firstOf = new Map<string, FuzzReport['findings'][number]>();
  for (const finding of report.findings)
    if (!firstOf.has(groupKey(finding)) && (finding.shrunk ?? finding.repro) !== null)
      firstOf.set(groupKey(finding), finding);
  const sections: PageSection[] = [];
  let n = 0;
  for (const [group, finding] of firstOf) {
    const file = finding.shrunk ?? finding.repro;
    if (file === null || file === undefined) continue;
    const scenario = loadScenario(file);
    const result = runPlan(compilePlan(scenario), { captureLimit: TRACE_CAPTURE_LIMIT, explain: true });
    sections.push(runSection(result, scenario, `run${++n}`, `${group}: seed ${finding.seed} (${file})`));
  }
  const intro =
    sections.length === 0
      ? `No finding with a repro file in ${report.seedsRun} seeds of ${report.scenario}: nothing to draw.`
      : `${INTRO} The first repro of each cause group, ${report.findings.length} findings in ${report.seedsRun} seeds.`;
  writeFileAtomic(
    path,
    renderPage(`clustersim fuzz: ${report.scenario} (${report.variant})`, intro, sections),
  );
}

/** `compare --html FILE`: every variant's violating rates with their 95% Wilson intervals. */
export function writeCompareHtml(path: string, report: CompareReport): void {
  const rows: RateRow[] = [];
  for (const [variant, summary] of Object.entries(report.variants)) {
    if (summary.invalid) continue;
    rows.push({
      variant,
      invariant: 'any invariant',
      seeds: summary.anyViolation.seeds,
      runs: summary.seedsRun,
      ...pick(summary.anyViolation),
    });
    for (const [invariant, rate] of Object.entries(summary.violatingRate))
      rows.push({
        variant,
        invariant,
        seeds: summary.violatingSeeds[invariant] ?? 0,
        runs: summary.seedsRun,
        ...pick(rate),
      });
  }
  const invalid = Object.entries(report.variants)
    .filter(([, s]) => s.invalid)
    .map(([v]) => v);
  const intro =
    `Share of ${report.seeds} seeds (from ${report.fromSeed}) that violated each invariant, per variant, with 95% Wilson intervals.` +
    (invalid.length > 0
      ? ` Left out (a run hit a clustersim bug, no rate is valid): ${invalid.join(', ')}.`
      : '');
  writeFileAtomic(
    path,
    renderPage(`clustersim compare: ${report.scenario}`, intro, [
      renderCompareSection('violating seeds per variant', rows),
    ]),
  );
}

function pick(r: { readonly rate: number; readonly low: number; readonly high: number }): {
  rate: number;
  low: number;
  high: number;
} {
  return { rate: r.rate, low: r.low, high: r.high };
}
