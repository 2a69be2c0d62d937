/**
 * Durations in scenario files (CONTRACT §3): a number of milliseconds, or a string of
 * number+unit parts with units `ms s m h` (`1500ms`, `90s`, `2m`, `1m30s`). Stored as integer ms.
 */

export const MS_PER_UNIT: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/** The longest duration a scenario may name anywhere: a week of simulated time. */
export const DURATION_MS_MAX = 7 * 24 * 3_600_000;

/** What a duration may look like, for error messages. */
export const DURATION_HELP = 'a number of ms, or number+unit parts like 1500ms, 90s, 2m, 1m30s, 1h';

/** One or more `<number><unit>` parts; `ms` before `m` and `s` so `1500ms` is one part. */
const PART = /(\d+(?:\.\d+)?)(ms|h|m|s)/y;

/** JSON-Schema pattern of a duration string (parts may repeat; the parser checks their order). */
export const DURATION_PATTERN = '^\\s*(\\d+(\\.\\d+)?(ms|h|m|s))+\\s*$';

export type DurationResult =
  { readonly ok: true; readonly ms: number } | { readonly ok: false; readonly error: string };

/** Parses a duration value from a file or a `--set` string. Never throws. */
export function parseDuration(value: unknown): DurationResult {
  if (typeof value === 'number') return checkMs(value, String(value));
  if (typeof value !== 'string')
    return {
      ok: false,
      error: `expected a duration, got ${describeType(value)} (allowed: ${DURATION_HELP})`,
    };
  const text = value.trim();
  if (/^-?\d+(\.\d+)?$/.test(text)) return checkMs(Number(text), value);
  if (text.startsWith('-'))
    return { ok: false, error: `negative duration '${value}' (allowed: ${DURATION_HELP})` };
  let totalMs = 0;
  let lastUnitMs = Number.POSITIVE_INFINITY;
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const start = PART.lastIndex;
    const match = PART.exec(text);
    if (match === null || match.index !== start) return malformed(value);
    const unitMs = MS_PER_UNIT[match[2]];
    // `1m30s` reads naturally; `30s1m` or `1s1s` is almost certainly a typo.
    if (unitMs >= lastUnitMs)
      return {
        ok: false,
        error: `duration '${value}': units must go from larger to smaller, each once (allowed: ${DURATION_HELP})`,
      };
    lastUnitMs = unitMs;
    totalMs += Number(match[1]) * unitMs;
  }
  if (text.length === 0) return malformed(value);
  return checkMs(Math.round(totalMs * 1000) / 1000, value);
}

function checkMs(ms: number, original: string): DurationResult {
  if (!Number.isFinite(ms)) return malformed(original);
  if (ms < 0) return { ok: false, error: `negative duration '${original}' (allowed: ${DURATION_HELP})` };
  if (!Number.isInteger(ms))
    return { ok: false, error: `duration '${original}' is not a whole number of milliseconds` };
  if (ms > DURATION_MS_MAX)
    return { ok: false, error: `duration '${original}' is longer than the limit of 7 days` };
  return { ok: true, ms };
}

function malformed(value: string): DurationResult {
  return { ok: false, error: `malformed duration '${value}' (allowed: ${DURATION_HELP})` };
}

export function describeType(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `'${value}'`;
  return `${typeof value} ${String(value)}`;
}

/**
 * Inverse of parseDuration for files we write: `0s`, `250ms`, `11.09s`, `1m30s`, `2h0m0.5s` is
 * avoided: zero parts are left out (`2h0.5s`).
 */
export function formatDuration(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0)
    throw new RangeError(`formatDuration: not a non-negative integer: ${ms}`);
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const restMs = ms % 60_000;
  let text = '';
  if (hours > 0) text += `${hours}h`;
  if (minutes > 0) text += `${minutes}m`;
  if (restMs > 0) text += `${(restMs / 1000).toFixed(3).replace(/\.?0+$/, '')}s`;
  return text;
}

/** ms of a duration a schema already validated; a failure here is a bug in clustersim. */
export function validatedDurationMs(value: unknown): number {
  const parsed = parseDuration(value);
  if (!parsed.ok) throw new Error(`validated duration does not parse: ${String(value)}`);
  return parsed.ms;
}
