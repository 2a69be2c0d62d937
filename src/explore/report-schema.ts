import { z } from 'zod';
import type { FuzzReport } from './report.js';

const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** The shape of a `fuzz --report / --json` file, checked before `merge` trusts it. */
export const fuzzReportSchema = z.object({
  scenario: z.string(),
  file: z.string().nullable(),
  system: z.string(),
  variant: z.string(),
  strategy: z.string(),
  invariants: z.array(z.string()).nullable().optional(),
  fromSeed: count,
  seeds: count,
  shards: z.array(z.object({ index: count.min(1), count: count.min(1) })).min(1),
  seedsRun: count,
  seedsPerSecond: z.number().min(0),
  wallS: z.number().min(0),
  workers: count,
  stopped: z.string().nullable(),
  findings: z.array(
    z.object({
      seed: count,
      invariant: z.string(),
      atMs: z.number().min(0),
      repro: z.string().nullable(),
      shrunk: z.string().nullable().optional(),
      signature: z.string().optional(),
    }),
  ),
  byInvariant: z.record(z.string(), count),
  groups: z
    .array(
      z.object({
        invariant: z.string(),
        signature: z.string(),
        count,
        firstSeed: count,
        firstAtMs: z.number().min(0),
        repro: z.string().nullable(),
        shrunk: z.string().nullable().optional(),
        seedsToFirstHit: count.optional(),
        hitRate: z.object({ rate: z.number(), low: z.number(), high: z.number() }).optional(),
      }),
    )
    .optional(),
  errors: z.array(z.object({ seed: count, message: z.string(), replay: z.string().optional() })),
  limited: z
    .array(
      z.object({
        seed: count,
        limit: z.enum(['events', 'simulated-time', 'pending-events']),
        message: z.string(),
      }),
    )
    .optional(),
  clustersim: z.string().optional(),
  scenarioHash: z.string().optional(),
}) satisfies z.ZodType<FuzzReport>;
