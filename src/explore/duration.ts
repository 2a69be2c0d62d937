import { UsageError } from '../util/errors.js';
import { parseDuration } from '../util/duration.js';

/** A command-line duration (`--time-limit 90s`, `1m30s`, `1500ms`), parsed as in scenario files. */
export function parseDurationFlag(flag: string, text: string): number {
  const parsed = parseDuration(text);
  if (!parsed.ok) throw new UsageError(`${flag}: ${parsed.error}`);
  return parsed.ms;
}

export function parseCount(flag: string, text: string, min: number): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min)
    throw new UsageError(`${flag}: expected an integer >= ${min}, got '${text}'`);
  return value;
}
