import type { ConfigKeySpec, ConfigValue } from '../systems/system-model.js';
import { describeType, DURATION_HELP, formatDuration, parseDuration } from '../util/duration.js';

export type ConfigResult =
  { readonly ok: true; readonly value: ConfigValue } | { readonly ok: false; readonly error: string };

/**
 * One parser for `config:` values in files and `--set key=value` strings: the same rules, the
 * same messages. `fromText` = the value came from a command line, so `true`, `12`, `90s` are text.
 */
export function parseConfigValue(spec: ConfigKeySpec, value: unknown, fromText: boolean): ConfigResult {
  const result = convert(spec, value, fromText);
  if (!result.ok || typeof result.value !== 'number') return result;
  const shown = (n: number): string => (spec.kind === 'duration' ? formatDuration(n) : String(n));
  if (spec.min !== undefined && result.value < spec.min)
    return {
      ok: false,
      error: `${describeType(value)} is below the minimum (allowed: >= ${shown(spec.min)})`,
    };
  if (spec.max !== undefined && result.value > spec.max)
    return {
      ok: false,
      error: `${describeType(value)} is above the maximum (allowed: <= ${shown(spec.max)})`,
    };
  return result;
}

function convert(spec: ConfigKeySpec, value: unknown, fromText: boolean): ConfigResult {
  switch (spec.kind) {
    case 'duration': {
      const parsed = parseDuration(value);
      return parsed.ok
        ? { ok: true, value: parsed.ms }
        : {
            ok: false,
            error: parsed.error.replace(/^expected a duration/, `expected a duration (${DURATION_HELP})`),
          };
    }
    case 'integer': {
      const n = fromText && typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
      if (typeof n === 'number' && Number.isSafeInteger(n)) return { ok: true, value: n };
      return { ok: false, error: `expected an integer, got ${describeType(value)}` };
    }
    case 'number': {
      const n = fromText && typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n === 'number' && Number.isFinite(n)) return { ok: true, value: n };
      return { ok: false, error: `expected a number, got ${describeType(value)}` };
    }
    case 'boolean': {
      if (typeof value === 'boolean') return { ok: true, value };
      if (fromText && (value === 'true' || value === 'false')) return { ok: true, value: value === 'true' };
      return { ok: false, error: `expected true or false, got ${describeType(value)}` };
    }
    case 'text': {
      const pattern = spec.pattern;
      // A lone number (`30`) is YAML's integer: the same text.
      const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
      if (typeof text === 'string' && (pattern === undefined || new RegExp(pattern.source).test(text)))
        return { ok: true, value: text };
      return {
        ok: false,
        error: `expected ${pattern?.help ?? 'text'}, got ${describeType(value)}`,
      };
    }
    case 'enum': {
      const values = spec.values ?? [];
      if (typeof value === 'string' && values.includes(value)) return { ok: true, value };
      return { ok: false, error: `${describeType(value)} is not allowed (allowed: ${values.join(', ')})` };
    }
  }
}

/** The default of a key as the resolved config holds it (durations in ms). */
export function configDefault(spec: ConfigKeySpec): ConfigValue {
  if (spec.kind === 'duration' && typeof spec.default === 'string') {
    const parsed = parseDuration(spec.default);
    if (parsed.ok) return parsed.ms;
  }
  return spec.default;
}

/** A resolved value written back into a file: durations as `90s`. */
export function configValueForFile(spec: ConfigKeySpec, value: ConfigValue): ConfigValue {
  if (spec.kind === 'duration' && typeof value === 'number') return formatDuration(value);
  return value;
}
