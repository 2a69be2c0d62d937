import { UsageError } from '../util/errors.js';

/** `--shard i/n` (1-based): this process runs shard `index` of `count`. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

export const wholeCampaign: Shard = { index: 1, count: 1 };

export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (match === null)
    throw new UsageError(`--shard: expected i/n with 1 <= i <= n (e.g. 2/8), got '${text}'`);
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || index < 1 || index > count)
    throw new UsageError(`--shard: expected i/n with 1 <= i <= n (e.g. 2/8), got '${text}'`);
  return { index, count };
}

/**
 * The seeds of one shard, ascending. Round-robin: seed s belongs to shard ((s - from) mod n) + 1,
 * so every shard gets cheap and expensive seeds alike and the union over all shards is exactly
 * [from, from + seeds).
 */
export function shardSeeds(fromSeed: number, seeds: number, shard: Shard): number[] {
  const out: number[] = [];
  for (let seed = fromSeed + shard.index - 1; seed < fromSeed + seeds; seed += shard.count) out.push(seed);
  return out;
}
