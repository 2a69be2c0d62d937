import { esc } from './escape.js';
import type { PageSection } from './page.js';

/** One rate of the compare table: violating seeds of one invariant under one variant. */
export interface RateRow {
  readonly variant: string;
  readonly invariant: string;
  readonly seeds: number;
  readonly runs: number;
  readonly rate: number;
  readonly low: number;
  readonly high: number;
}

const LABEL_W = 300;
const PLOT_W = 520;
const ROW_H = 18;

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/**
 * The compare table as a chart: one bar per variant and invariant (the share of seeds that
 * violated it) with its 95% Wilson interval as a whisker, and the same numbers as a table.
 */
export function renderCompareSection(title: string, rows: readonly RateRow[]): PageSection {
  const height = 24 + rows.length * ROW_H;
  const x = (f: number): string => (LABEL_W + f * PLOT_W).toFixed(1);
  const svg: string[] = [
    `<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="${LABEL_W + PLOT_W + 60}" height="${height}">`,
  ];
  for (let k = 0; k <= 4; k++)
    svg.push(
      `<line class="grid" x1="${x(k / 4)}" x2="${x(k / 4)}" y1="14" y2="${height}"/><text x="${x(k / 4)}" y="10" text-anchor="middle">${k * 25}%</text>`,
    );
  rows.forEach((row, i) => {
    const y = 18 + i * ROW_H;
    const tip = `${row.variant} · ${row.invariant}: ${row.seeds} of ${row.runs} seeds = ${pct(row.rate)} (95% Wilson interval ${pct(row.low)} – ${pct(row.high)})`;
    svg.push(
      `<g class="rate" data-variant="${esc(row.variant)}" data-invariant="${esc(row.invariant)}"><title>${esc(tip)}</title>` +
        `<text x="${LABEL_W - 6}" y="${y + 12}" text-anchor="end">${esc(row.variant)} · ${esc(row.invariant)}</text>` +
        `<rect class="bar" x="${x(0)}" y="${y + 3}" width="${(row.rate * PLOT_W).toFixed(1)}" height="${ROW_H - 6}"/>` +
        `<line class="whisker" x1="${x(row.low)}" x2="${x(row.high)}" y1="${y + ROW_H / 2}" y2="${y + ROW_H / 2}"/>` +
        `<line class="whisker" x1="${x(row.low)}" x2="${x(row.low)}" y1="${y + 4}" y2="${y + ROW_H - 4}"/>` +
        `<line class="whisker" x1="${x(row.high)}" x2="${x(row.high)}" y1="${y + 4}" y2="${y + ROW_H - 4}"/>` +
        `<text x="${x(Math.max(row.high, row.rate)) + 0}" dx="6" y="${y + 12}">${pct(row.rate)}</text></g>`,
    );
  });
  svg.push('</svg>');
  const table = [
    '<table class="rates"><tr><th>variant</th><th>invariant</th><th>violating seeds</th><th>rate</th><th>95% interval</th></tr>',
    ...rows.map(
      (r) =>
        `<tr><td>${esc(r.variant)}</td><td>${esc(r.invariant)}</td><td>${r.seeds} / ${r.runs}</td><td>${pct(r.rate)}</td><td>${pct(r.low)} – ${pct(r.high)}</td></tr>`,
    ),
    '</table>',
  ];
  return { title, html: `${svg.join('\n')}\n${table.join('\n')}` };
}
