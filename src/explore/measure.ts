import type { LimitHit } from '../run/limits.js';
import { runPlan } from '../run/run-plan.js';
import type { CampaignSpec } from './seed-run.js';
import { compileSeed, describeError, strategyRunOptions } from './seed-run.js';

/** One full run of a seed, reduced to what `compare` tabulates. */
export interface MeasureOutcome {
  readonly seed: number;
  readonly violations: readonly {
    readonly invariant: string;
    readonly atMs: number;
    readonly violationSeconds: number;
    readonly count: number;
  }[];
  readonly messagesTotal: number;
  /** Every numeric system metric, flattened to dotted paths (`reconnections`, `recycling.delayMsMean`). */
  readonly metrics: Readonly<Record<string, number>>;
  /** The run stopped at a limit: counted apart, never as a pass. */
  readonly limit?: LimitHit;
  /** An exception from the engine or a model: a bug in clustersim; the run counts for nothing. */
  readonly error?: string;
}

export function measureSeed(spec: CampaignSpec, seed: number): MeasureOutcome {
  try {
    const result = runPlan(compileSeed(spec, seed), strategyRunOptions(spec));
    const metrics: Record<string, number> = {};
    for (const [key, value] of Object.entries(result.metrics)) {
      if (key !== 'messages') flattenNumbers(key, value, metrics, 0);
    }
    return {
      seed,
      violations: result.violations.map((v) => ({
        invariant: v.invariant,
        atMs: v.atMs,
        violationSeconds: v.violationSeconds,
        count: v.count,
      })),
      messagesTotal: result.metrics.messages.total,
      metrics,
      ...(result.limit !== undefined ? { limit: result.limit } : {}),
    };
  } catch (error) {
    return { seed, violations: [], messagesTotal: 0, metrics: {}, error: describeError(error) };
  }
}

/** Numbers (and booleans as 0/1 are left out on purpose: they do not average meaningfully). */
function flattenNumbers(path: string, value: unknown, out: Record<string, number>, depth: number): void {
  if (typeof value === 'number' && Number.isFinite(value)) {
    out[path] = value;
    return;
  }
  if (depth >= 3 || value === null || typeof value !== 'object' || Array.isArray(value)) return;
  for (const [key, inner] of Object.entries(value as Record<string, unknown>))
    flattenNumbers(`${path}.${key}`, inner, out, depth + 1);
}
