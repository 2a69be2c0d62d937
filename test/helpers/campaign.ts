import type { FuzzOptions } from '../../src/explore/fuzz.js';

/**
 * A fuzz campaign's options at their plain values, for tests to spread and override: from seed
 * 1, the whole campaign on one worker, no output folder, no shrinking, no stop, no time limit,
 * no repro beyond the first of each group.
 */
export const PLAIN_CAMPAIGN = {
  fromSeed: 1,
  shard: { index: 1, count: 1 },
  workers: 1,
  outDir: null,
  shrink: false,
  stopOnFirst: false,
  timeLimitMs: null,
  maxRepros: 0,
} satisfies Partial<FuzzOptions>;
