import type { z } from 'zod';
import { describeType } from '../util/duration.js';
import { allowedList, didYouMean, unknownName } from '../util/names.js';
import type { DataPath, ProblemList } from './positions.js';

type Issue = z.core.$ZodIssue;

/**
 * Turns zod issues (from our own schemas or a system's cluster/action schemas) into
 * `path: what is wrong (allowed: …)` problems at the YAML position of the offending key/value.
 */
export function reportIssues(
  problems: ProblemList,
  issues: readonly Issue[],
  base: DataPath,
  schema: z.ZodType,
  input: unknown,
): void {
  for (const issue of issues) {
    const path = [...base, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      const allowed = objectKeysAt(schema, issue.path);
      for (const key of issue.keys) {
        const message = allowed.length > 0 ? unknownName('key', key, allowed) : `unknown key '${key}'`;
        problems.atPath([...path, key], message, 'key');
      }
      continue;
    }
    problems.atPath(path, describeIssue(issue, valueAt(input, issue.path)));
  }
}

/** zod's built-in English messages start like this; anything else was written by a schema author. */
const DEFAULT_MESSAGE = /^(Invalid|Too (small|big)|Unrecognized key|Expected|Required)/;

export function describeIssue(issue: Issue, value: unknown): string {
  if (issue.code === 'custom') return issue.message;
  if (!DEFAULT_MESSAGE.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return `missing (required: ${expectedText(issue.expected)})`;
      return `expected ${expectedText(issue.expected)}, got ${describeType(value)}`;
    case 'invalid_value':
      return `${describeType(value)} is not allowed${typeof value === 'string' ? didYouMean(value, issue.values.map(String)) : ''} (allowed: ${allowedList(issue.values.map(String), issue.values.length)})`;
    case 'too_small':
      return issue.origin === 'array' || issue.origin === 'set'
        ? `needs at least ${String(issue.minimum)} item(s)`
        : issue.origin === 'string'
          ? `must not be shorter than ${String(issue.minimum)} characters`
          : `${describeType(value)} is too small (allowed: ${issue.inclusive === false ? '>' : '>='} ${String(issue.minimum)})`;
    case 'too_big':
      return issue.origin === 'array' || issue.origin === 'set'
        ? `has too many items (allowed: at most ${String(issue.maximum)})`
        : issue.origin === 'string'
          ? `is longer than ${String(issue.maximum)} characters`
          : `${describeType(value)} is too big (allowed: ${issue.inclusive === false ? '<' : '<='} ${String(issue.maximum)})`;
    case 'invalid_format':
      return issue.format === 'regex' && 'pattern' in issue
        ? `${describeType(value)} does not match ${String(issue.pattern)}`
        : `${describeType(value)} is not a valid ${issue.format}`;
    case 'not_multiple_of':
      return `${describeType(value)} is not a multiple of ${String(issue.divisor)}`;
    case 'invalid_union': {
      // Every branch rejected the value itself (not something inside it): list what each wanted.
      const wanted = issue.errors.map((branch) => {
        const first = branch[0];
        if (branch.length !== 1 || first === undefined || first.path.length !== 0) return null;
        if (first.code === 'invalid_type') return expectedText(first.expected);
        if (first.code === 'invalid_value')
          return first.values.length === 1
            ? String(first.values[0])
            : `one of ${first.values.map(String).join(' | ')}`;
        return null;
      });
      if (wanted.length > 0 && wanted.every((w) => w !== null)) {
        const text = wanted.join(' or ');
        return value === undefined
          ? `missing (required: ${text})`
          : `expected ${text}, got ${describeType(value)}`;
      }
      // One branch got further than the others: its complaint is the useful one.
      // A branch whose type matched (a list that is too long) beats one that wanted another type.
      const deepest = issue.errors
        .flat()
        .sort(
          (a, b) =>
            b.path.length - a.path.length ||
            Number(a.code === 'invalid_type') - Number(b.code === 'invalid_type'),
        )[0];
      return deepest !== undefined
        ? describeIssue(deepest, value)
        : `${describeType(value)} is not valid here`;
    }
    default:
      return issue.message;
  }
}

function expectedText(expected: string): string {
  switch (expected) {
    case 'object':
      return 'a mapping';
    case 'array':
      return 'a list';
    case 'int':
      return 'an integer';
    default:
      return `a ${expected}`;
  }
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

interface Def {
  readonly type: string;
  readonly shape?: Record<string, z.ZodType>;
  readonly element?: z.ZodType;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly items?: readonly z.ZodType[];
  readonly valueType?: z.ZodType;
  readonly getter?: () => z.ZodType;
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** Unwraps optional/nullable/default/pipe/lazy wrappers. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let i = 0; i < 20; i++) {
    const def = defOf(current);
    if (def.innerType !== undefined) current = def.innerType;
    else if (def.type === 'pipe' && def.in !== undefined) current = def.in;
    else if (def.type === 'lazy' && def.getter !== undefined) current = def.getter();
    else return current;
  }
  return current;
}

/** The keys an object schema at `path` accepts (best effort; empty when unknown). */
export function objectKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  const candidates = schemasAt(schema, path);
  const keys = new Set<string>();
  for (const candidate of candidates) {
    const def = defOf(unwrap(candidate));
    if (def.type === 'object' && def.shape !== undefined)
      for (const key of Object.keys(def.shape)) keys.add(key);
  }
  return [...keys];
}

function schemasAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodType[] {
  let current: z.ZodType[] = [schema];
  for (const segment of path) {
    const next: z.ZodType[] = [];
    for (const candidate of current.flatMap(expandUnions)) {
      const def = defOf(candidate);
      if (
        def.type === 'object' &&
        def.shape !== undefined &&
        typeof segment === 'string' &&
        def.shape[segment] !== undefined
      )
        next.push(def.shape[segment]);
      else if (def.type === 'array' && def.element !== undefined) next.push(def.element);
      else if (
        def.type === 'tuple' &&
        def.items !== undefined &&
        typeof segment === 'number' &&
        def.items[segment] !== undefined
      )
        next.push(def.items[segment]);
      else if (def.type === 'record' && def.valueType !== undefined) next.push(def.valueType);
    }
    current = next;
  }
  return current.flatMap(expandUnions);
}

function expandUnions(schema: z.ZodType): z.ZodType[] {
  const inner = unwrap(schema);
  const def = defOf(inner);
  if (def.type === 'union' && def.options !== undefined) return def.options.flatMap(expandUnions);
  return [inner];
}
