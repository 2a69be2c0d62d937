import { availableParallelism } from 'node:os';
import { UsageError } from '../util/errors.js';
import { parseDuration } from '../util/duration.js';

/** A command-line duration (`--time-limit 90s`, `1m30s`, `1500ms`), parsed as in scenario files. */
export function parseDurationFlag(flag: string, text: string, minMs = 0): number {
  const parsed = parseDuration(text);
  if (!parsed.ok) throw new UsageError(`${flag}: ${parsed.error}`);
  if (parsed.ms < minMs) throw new UsageError(`${flag}: '${text}' is shorter than the minimum of ${minMs}ms`);
  return parsed.ms;
}

/**
 * A whole number typed in decimal digits (`1000`, not `1e3`, `0x10`, `+5` or `1_000`), from
 * `min` to `max`; a UsageError naming the flag and the allowed range otherwise.
 */
export function parseCount(flag: string, text: string, min: number, max: number): number {
  const trimmed = text.trim();
  const value = /^\d{1,16}$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max)
    throw new UsageError(`${flag}: '${text}' is not allowed (allowed: an integer from ${min} to ${max})`);
  return value;
}

/**
 * Seeds in one campaign (over all shards). A seed takes a millisecond at best, so this is days of
 * work; the list of a shard's seeds (8 bytes each) stays well under 100 MB.
 */
export const MAX_CAMPAIGN_SEEDS = 10_000_000;

/** The largest seed: seeds are safe integers (CONTRACT §7 streams are derived from them). */
export const MAX_SEED = Number.MAX_SAFE_INTEGER;

/** `--seeds N` and `--from-seed S` of a campaign: bounded so the last seed is a safe integer too. */
export function parseSeedRange(seedsText: string, fromText: string): { seeds: number; fromSeed: number } {
  const seeds = parseCount('--seeds', seedsText, 1, MAX_CAMPAIGN_SEEDS);
  const fromSeed = parseCount('--from-seed', fromText, 0, MAX_SEED - seeds + 1);
  return { seeds, fromSeed };
}

/**
 * `--workers N`: up to four per core. More threads than that only add memory (each loads the
 * models, ~50 MB) and switching; `--workers 1000` once started 999 threads.
 */
export function maxWorkers(): number {
  return Math.max(4, 4 * availableParallelism());
}

export function parseWorkers(text: string | undefined): number {
  if (text === undefined) return availableParallelism();
  return parseCount('--workers', text, 1, maxWorkers());
}
