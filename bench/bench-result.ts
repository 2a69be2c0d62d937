import type { TargetCheck } from './targets.js';

/** One line of `npm run bench -- --json`: flat JSON fields. */
export type BenchRow = Readonly<Record<string, string | number>>;

/**
 * What a benchmark module returns: its rows and its targets checked against them (printed under
 * the table; not part of the JSON lines). `not-available` is for a benchmark whose workload does
 * not exist yet: the harness prints no numbers for it rather than made-up ones.
 */
export type BenchOutcome =
  | { readonly status: 'done'; readonly rows: readonly BenchRow[]; readonly targets: readonly TargetCheck[] }
  | { readonly status: 'not-available'; readonly why: string };

export interface BenchOptions {
  /** Called with each row as soon as it is measured, so long runs show progress. */
  readonly onRow: (row: BenchRow) => void;
}
