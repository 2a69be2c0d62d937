import { UsageError } from '../util/errors.js';

/**
 * How fuzz explores message orders beyond the scenario's own `messageDelay`:
 * `random` = only the seed's draws; `pct` = PCT-style priorities (see pct.ts); `coverage` = fault
 * schedules mutated from a corpus that reached new domain coverage (coverage-search.ts).
 */
export type Strategy =
  | { readonly kind: 'random' }
  | { readonly kind: 'pct'; readonly depth: number }
  /** Coverage-guided: fault schedules mutated from a corpus of those that reached new coverage (coverage-search.ts). */
  | { readonly kind: 'coverage' };

export const randomStrategy: Strategy = { kind: 'random' };

export function describeStrategy(strategy: Strategy): string {
  return strategy.kind === 'pct' ? `pct (depth ${strategy.depth})` : strategy.kind;
}

/** `--strategy` and `--pct-depth` → a Strategy; UsageError on a bad depth. */
export function parseStrategy(name: string, depthText: string): Strategy {
  if (name === 'coverage') return { kind: 'coverage' };
  if (name !== 'pct') return randomStrategy;
  const depth = Number(depthText);
  if (!Number.isSafeInteger(depth) || depth < 1 || depth > 20)
    throw new UsageError(`--pct-depth: expected an integer from 1 to 20, got '${depthText}'`);
  return { kind: 'pct', depth };
}
