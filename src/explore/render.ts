import { formatSimTime, msToUs } from '../engine/index.js';
import type { ChalkInstance } from 'chalk';
import type { CompareReport, VariantSummary } from './compare.js';
import { commandName } from '../util/command-name.js';
import { shellQuote } from '../util/shell-quote.js';
import { renderCoverage } from './coverage-render.js';
import { findabilityByInvariant, percent, renderFindability } from './findability.js';
import type { FuzzReport } from './report.js';

/** What the summaries show besides the default. */
export interface RenderOptions {
  /** Every finding (fuzz), the means of every model metric (compare). */
  readonly verbose?: boolean;
}

/** The human summary of a fuzz campaign (or of merged shards). */
export function renderFuzzReport(report: FuzzReport, c: ChalkInstance, options: RenderOptions = {}): string {
  const out: string[] = [];
  const shards =
    report.shards.length === 1 && report.shards[0]?.count === 1
      ? ''
      : `, shards ${report.shards.map((s) => `${s.index}/${s.count}`).join(' ')}`;
  // A merged report (see merge.ts): its shards ran side by side, each with its own workers.
  const merged = report.shards.length > 1;
  const workers = `${report.workers} worker${report.workers === 1 ? '' : 's'}`;
  const speed = merged
    ? ` in ${report.wallS.toFixed(1)}s (the longest shard), ${report.seedsPerSecond} seeds/s summed over ${report.shards.length} shards, ${workers} in all`
    : ` in ${report.wallS.toFixed(1)}s, ${report.seedsPerSecond} seeds/s on ${workers}`;
  out.push(
    c.bold(`fuzz ${report.scenario}`) +
      ` (${report.system}, variant ${report.variant}, strategy ${report.strategy}${shards}): ${report.seedsRun} of ${report.seeds} seeds from ${report.fromSeed}` +
      speed,
  );
  if (report.stopped !== null) out.push(c.yellow(`stopped early: ${report.stopped}`));
  if (report.coverage !== undefined) out.push(...renderCoverage(report.coverage).map((l) => c.dim(l)));
  const limited = report.limited ?? [];
  const seedsWithFindings = new Set(report.findings.map((f) => f.seed)).size;
  if (report.findings.length === 0) {
    if (limited.length === 0 && report.errors.length === 0)
      out.push(c.green('no findings: every invariant held on every seed run'));
    else out.push('no findings');
  } else {
    out.push(
      c.red.bold(
        `${seedsWithFindings} seed${seedsWithFindings === 1 ? '' : 's'} violated an invariant (each invariant counts every seed that violates it):`,
      ),
    );
    for (const [invariant, count] of Object.entries(report.byInvariant)) {
      const first = report.findings.find((f) => f.invariant === invariant);
      if (first === undefined) continue;
      out.push(
        `  ${c.red(invariant.padEnd(28))} ${String(count).padStart(6)} seed${count === 1 ? ' ' : 's'}   first: seed ${first.seed} at t=${formatSimTime(msToUs(first.atMs))}`,
      );
      if (first.repro !== null)
        out.push(`  ${''.padEnd(28)} repro ${first.repro}${first.shrunk ? `  shrunk ${first.shrunk}` : ''}`);
    }
    out.push(...groupLines(report, c));
    const written = report.findings.filter((f) => f.repro !== null).length;
    if (options.verbose === true) {
      out.push(c.bold('every finding, in seed order:'));
      for (const f of report.findings) {
        const files =
          f.repro === null
            ? c.dim('(no repro: --max-repros reached)')
            : `${f.repro}${f.shrunk ? `  shrunk ${f.shrunk}` : ''}`;
        out.push(
          `  seed ${String(f.seed).padEnd(8)} ${f.invariant.padEnd(28)} t=${formatSimTime(msToUs(f.atMs)).padEnd(10)} ${files}`,
        );
      }
    }
    for (const line of renderFindability(report.findability ?? findabilityByInvariant(report)))
      out.push(c.dim(line));
    const where = merged ? 'written by the shards' : 'written';
    const first = report.findings.find((f) => f.repro !== null);
    const example = first?.shrunk ?? first?.repro;
    out.push(
      c.dim(
        `${written} repro file${written === 1 ? '' : 's'} ${where}` +
          (example !== null && example !== undefined
            ? `; replay one with: ${commandName()} run ${shellQuote(example)}`
            : ''),
      ),
    );
  }
  if (limited.length > 0) {
    const first = limited[0];
    out.push(
      c.yellow.bold(
        `${limited.length} seed${limited.length === 1 ? '' : 's'} stopped at a limit (no verdict, not a pass), first: seed ${first?.seed}:`,
      ),
    );
    out.push(`  ${first?.message ?? ''}`);
  }
  if (report.errors.length > 0) {
    const first = report.errors[0];
    out.push(
      c.red.bold(
        `${report.errors.length} seed${report.errors.length === 1 ? '' : 's'} hit an internal error (a bug in clustersim, neither a pass nor a finding), first: seed ${first?.seed}:`,
      ),
    );
    out.push(`  ${first?.message.split('\n')[0] ?? ''}`);
    if (first?.replay !== undefined) out.push(`  replay: ${first.replay}`);
  }
  return `${out.join('\n')}\n`;
}

/** Findings by cause (signature): how many seeds, the first, and the group's repro. */
function groupLines(report: FuzzReport, c: ChalkInstance): string[] {
  const groups = report.groups ?? [];
  if (groups.length === 0) return [];
  const lines = [
    c.bold(
      `by cause: ${groups.length} group${groups.length === 1 ? '' : 's'} (invariant: the kinds of steps of its why)`,
    ),
  ];
  for (const g of groups) {
    lines.push(`  ${String(g.count).padStart(6)} seed${g.count === 1 ? ' ' : 's'}  ${c.red(g.signature)}`);
    const files = g.repro === null ? '' : `  repro ${g.repro}${g.shrunk ? `  shrunk ${g.shrunk}` : ''}`;
    // How rare the cause is: its first hit and its rate with a 95% Wilson interval.
    const rate =
      g.hitRate === undefined || g.seedsToFirstHit === undefined
        ? ''
        : ` (after ${g.seedsToFirstHit} seed${g.seedsToFirstHit === 1 ? '' : 's'}; rate ${percent(g.hitRate.rate)}, ${percent(g.hitRate.low)}–${percent(g.hitRate.high)})`;
    lines.push(
      `  ${''.padEnd(12)} first: seed ${g.firstSeed} at t=${formatSimTime(msToUs(g.firstAtMs))}${rate}${files}`,
    );
  }
  return lines;
}

/** `compare`: one column per variant, one row per measure. */
export function renderCompareReport(
  report: CompareReport,
  c: ChalkInstance,
  options: RenderOptions = {},
): string {
  const names = Object.keys(report.variants);
  const summaries = names.map((n) => report.variants[n] as VariantSummary);
  const invariants = [...new Set(summaries.flatMap((s) => Object.keys(s.violatingSeeds)))].sort();
  const rows: [string, string[]][] = [];
  // A column with a crashed run shows no rate: a count that leaves runs out would mislead.
  const invalidCell = (s: VariantSummary): string => `invalid (${s.errors.length} internal errors)`;
  const rate = (s: VariantSummary, inv: string): string => {
    if (s.invalid) return invalidCell(s);
    const r = s.violatingRate[inv];
    if (r === undefined) return `0/${s.seedsRun} 0% [0%-${pct(upperZero(s.seedsRun))}]`;
    return `${s.violatingSeeds[inv]}/${s.seedsRun} ${pct(r.rate)} [${pct(r.low)}-${pct(r.high)}]`;
  };
  rows.push([
    'any violation',
    summaries.map((s) =>
      s.invalid
        ? invalidCell(s)
        : `${s.anyViolation.seeds}/${s.seedsRun} ${pct(s.anyViolation.rate)} [${pct(s.anyViolation.low)}-${pct(s.anyViolation.high)}]`,
    ),
  ]);
  for (const inv of invariants) rows.push([`  ${inv}`, summaries.map((s) => rate(s, inv))]);
  if (summaries.some((s) => s.limitedSeeds > 0))
    rows.push(['stopped at a limit (no verdict)', summaries.map((s) => `${s.limitedSeeds}/${s.seedsRun}`)]);
  rows.push(['violation-seconds / seed', summaries.map((s) => s.violationSecondsPerSeed.toFixed(1))]);
  rows.push([
    'time to recover (s)',
    summaries.map((s) => (s.timeToRecoverS === null ? '-' : s.timeToRecoverS.toFixed(1))),
  ]);
  rows.push(['messages / seed', summaries.map((s) => s.messages.perSeed.toFixed(0))]);
  rows.push([
    'messages / reconnection',
    summaries.map((s) => (s.messages.perReconnection === null ? '-' : s.messages.perReconnection.toFixed(1))),
  ]);
  rows.push([
    'fix messages / reconnection',
    summaries.map((s) =>
      s.messages.fixMessagesPerReconnection === null ? '-' : s.messages.fixMessagesPerReconnection.toFixed(2),
    ),
  ]);
  rows.push([
    'recycling delay (ms)',
    summaries.map((s) => (s.recyclingDelayMs === null ? '-' : s.recyclingDelayMs.toFixed(0))),
  ]);
  if (options.verbose === true) {
    // Every numeric metric the model reports, as a mean per seed ('-' where a variant has none).
    const keys = [...new Set(summaries.flatMap((s) => Object.keys(s.metrics)))].sort();
    if (keys.length > 0) rows.push(['model metrics, mean per seed:', names.map(() => '')]);
    for (const key of keys) rows.push([`  ${key}`, summaries.map((s) => formatMean(s.metrics[key]))]);
  }
  const labelWidth = Math.max(...rows.map(([l]) => l.length), 10);
  const widths = names.map((n, i) => Math.max(n.length, ...rows.map(([, cells]) => (cells[i] ?? '').length)));
  const line = (label: string, cells: string[]): string =>
    `${label.padEnd(labelWidth)}  ${cells.map((cell, i) => cell.padStart(widths[i] ?? 0)).join('  ')}`;
  const out = [
    c.bold(
      `compare ${report.scenario} (${report.system}): seeds ${report.fromSeed}..${report.fromSeed + report.seeds - 1}, rates with 95% Wilson intervals`,
    ),
    c.bold(line('', names)),
    ...rows.map(([label, cells]) => line(label, cells)),
  ];
  if (options.verbose === true) out.push(...violatingSeedLines(report, c));
  if (report.stopped !== null) out.push(c.yellow(`stopped early: ${report.stopped} (partial columns)`));
  for (const [i, s] of summaries.entries()) {
    if (!s.invalid) continue;
    const first = s.errors[0];
    out.push(
      c.red.bold(
        `${names[i]}: ${s.errors.length} run${s.errors.length === 1 ? '' : 's'} hit an internal error (a bug in clustersim, not a finding): no rate is shown for this column; first: seed ${first?.seed}: ${first?.message.split('\n')[0] ?? ''}`,
      ),
    );
  }
  const limited = summaries.reduce((n, s) => n + s.limitedSeeds, 0);
  if (limited > 0)
    out.push(
      c.yellow(
        `${limited} run${limited === 1 ? '' : 's'} stopped at a limit (events, simulated time or pending events): no verdict past it, liveness not judged; raise it with --max-events / --max-sim-time / --max-pending`,
      ),
    );
  return `${out.join('\n')}\n`;
}

/** `compare --verbose`: the seeds each invariant was violated on, per variant (replay with `run --seed`). */
function violatingSeedLines(report: CompareReport, c: ChalkInstance): string[] {
  const lines = [c.bold('violating seeds, per variant and invariant:')];
  for (const [name, s] of Object.entries(report.variants)) {
    const entries = Object.entries(s.seedsByInvariant ?? {});
    if (entries.length === 0) {
      lines.push(`  ${name}: ${c.green('none')}`);
      continue;
    }
    lines.push(`  ${name}:`);
    for (const [invariant, seeds] of entries)
      lines.push(`    ${c.red(invariant)} (${seeds.length}): ${seeds.join(' ')}`);
  }
  return lines;
}

function formatMean(value: number | undefined): string {
  if (value === undefined) return '-';
  return Number.isInteger(value) ? String(value) : value.toFixed(Math.abs(value) >= 100 ? 0 : 2);
}

function pct(value: number): string {
  return `${(value * 100).toFixed(value > 0 && value < 0.1 ? 1 : 0)}%`;
}

/** The Wilson upper bound at 0 successes (for the 0/n cells). */
function upperZero(n: number): number {
  const z2 = 1.959963984540054 ** 2;
  return n === 0 ? 1 : z2 / n / (1 + z2 / n);
}
