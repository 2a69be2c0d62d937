import type { SystemFaultRange, SystemModel } from '../systems/system-model.js';
import { parseConfigValue } from './config.js';
import { formatDuration, parseDuration, validatedDurationMs } from '../util/duration.js';
import { unknownName } from '../util/names.js';
import type { ProblemList } from './positions.js';
import { FAULTS_PER_KIND_MAX, GENERIC_FAULT_KEYS, systemFaultSchema } from './schema.js';
import { reportIssues } from './zod-issues.js';
import type { SystemFaultRate } from './types.js';

/** Config kinds a `faults.config` range may draw (numbers; a duration is whole ms). */
const RANGED_KINDS: ReadonlySet<string> = new Set(['duration', 'integer', 'number']);

const isGeneric = (key: string): boolean => (GENERIC_FAULT_KEYS as readonly string[]).includes(key);

/** Every key `faults:` accepts for this system (for messages, `list faults`). */
export function faultKeysOf(model: SystemModel): string[] {
  return [
    ...GENERIC_FAULT_KEYS.filter((k) => k !== 'drop' || model.dropSteps !== undefined),
    ...(model.faults ?? []).map((f) => f.name),
  ];
}

/**
 * The system fault kinds and `config` ranges of `faults:` (the generic kinds are checked by
 * load.ts): known names, the ranges each kind takes, a rate the run can hold, targets in this
 * cluster, config keys that are numbers with min <= max within the key's bounds.
 */
export function checkSystemFaults(
  model: SystemModel,
  faults: Record<string, unknown>,
  durationMs: number | null,
  cluster: unknown,
  problems: ProblemList,
): void {
  for (const [key, value] of Object.entries(faults)) {
    if (isGeneric(key)) continue;
    const spec = (model.faults ?? []).find((f) => f.name === key);
    if (spec === undefined) {
      problems.atPath(['faults', key], unknownName('fault kind', key, faultKeysOf(model)), 'key');
      continue;
    }
    const shape = systemFaultSchema.safeParse(value);
    if (!shape.success) reportIssues(problems, shape.error.issues, ['faults', key], systemFaultSchema, value);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
    const given = value as Record<string, unknown>;
    for (const range of ['for', 'by'] as const) {
      if (given[range] !== undefined && !spec.ranges.includes(range))
        problems.atPath(
          ['faults', key, range],
          `fault ${key} takes no ${range} (allowed: every${spec.ranges.map((r) => `, ${r}`).join('')})`,
          'key',
        );
      if (given[range] === undefined && (spec.required ?? []).includes(range))
        problems.atPath(['faults', key], `missing ${range}: [min, max] (e.g. ${spec.example})`, 'key');
    }
    const every = parseDuration(given.every);
    if (every.ok && every.ms === 0) problems.atPath(['faults', key, 'every'], 'must be longer than 0');
    else if (every.ok && durationMs !== null && durationMs / every.ms > FAULTS_PER_KIND_MAX)
      problems.atPath(
        ['faults', key, 'every'],
        `about ${Math.round(durationMs / every.ms)} faults in ${formatDuration(durationMs)} (allowed: at most ${FAULTS_PER_KIND_MAX}; raise every)`,
      );
    if (cluster !== undefined && spec.targets(cluster).length === 0)
      problems.atPath(
        ['faults', key],
        `nothing in this cluster can get a ${key} fault (${spec.meaning})`,
        'key',
      );
  }
  const config = faults.config;
  if (config === null || typeof config !== 'object' || Array.isArray(config)) return;
  for (const [key, range] of Object.entries(config as Record<string, unknown>)) {
    const path = ['faults', 'config', key];
    const spec = model.config.find((c) => c.key === key);
    if (spec === undefined) {
      problems.atPath(
        path,
        unknownName(
          'config key',
          key,
          model.config.map((c) => c.key),
        ),
        'key',
      );
      continue;
    }
    if (!RANGED_KINDS.has(spec.kind)) {
      problems.atPath(
        path,
        `${key} is a ${spec.kind}, not a number (allowed: duration, integer, number keys)`,
        'key',
      );
      continue;
    }
    if (!Array.isArray(range) || range.length !== 2) continue; // zod said so
    const bounds = range.map((v, i) => {
      const parsed = parseConfigValue(spec, v, false);
      if (!parsed.ok) problems.atPath([...path, i], parsed.error);
      return parsed.ok ? (parsed.value as number) : null;
    });
    const [min, max] = bounds;
    if (min != null && max != null && min > max)
      problems.atPath(path, `min ${String(range[0])} is larger than max ${String(range[1])}`);
  }
}

/** The validated system fault kinds, converted to ms. */
export function systemFaultsOf(
  model: SystemModel,
  faults: Record<string, unknown>,
): Record<string, SystemFaultRate> | undefined {
  const out: Record<string, SystemFaultRate> = {};
  const rangeOf = (v: unknown): readonly [number, number] => {
    const r = v as readonly unknown[];
    return [validatedDurationMs(r[0]), validatedDurationMs(r[1])];
  };
  for (const spec of model.faults ?? []) {
    const given = faults[spec.name] as Record<SystemFaultRange | 'every', unknown> | undefined;
    if (given === undefined || given === null) continue;
    out[spec.name] = {
      everyMs: validatedDurationMs(given.every),
      ...(given.for !== undefined ? { forMs: rangeOf(given.for) } : {}),
      ...(given.by !== undefined ? { byMs: rangeOf(given.by) } : {}),
    };
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The validated `faults.config` ranges, as config values (durations in ms), in model order. */
export function configRangesOf(
  model: SystemModel,
  config: unknown,
): Record<string, readonly [number, number]> | undefined {
  if (config === null || typeof config !== 'object') return undefined;
  const out: Record<string, readonly [number, number]> = {};
  for (const spec of model.config) {
    const range = (config as Record<string, unknown>)[spec.key];
    if (!Array.isArray(range)) continue;
    const value = (v: unknown): number => {
      const parsed = parseConfigValue(spec, v, false);
      return parsed.ok ? (parsed.value as number) : 0;
    };
    out[spec.key] = [value(range[0]), value(range[1])];
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
