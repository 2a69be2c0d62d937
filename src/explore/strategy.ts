import { UsageError } from '../util/errors.js';

/**
 * How fuzz explores message orders beyond the scenario's own `messageDelay`:
 * `random` = only the seed's draws; `pct` = PCT-style priorities (see pct.ts).
 */
export type Strategy = { readonly kind: 'random' } | { readonly kind: 'pct'; readonly depth: number };

export const randomStrategy: Strategy = { kind: 'random' };

export function describeStrategy(strategy: Strategy): string {
  return strategy.kind === 'pct' ? `pct (depth ${strategy.depth})` : 'random';
}

/** `--strategy` and `--pct-depth` → a Strategy; UsageError on a bad depth. */
export function parseStrategy(name: string, depthText: string): Strategy {
  if (name !== 'pct') return randomStrategy;
  const depth = Number(depthText);
  if (!Number.isSafeInteger(depth) || depth < 1 || depth > 20)
    throw new UsageError(`--pct-depth: expected an integer from 1 to 20, got '${depthText}'`);
  return { kind: 'pct', depth };
}
