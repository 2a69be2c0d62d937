import type { Document } from 'yaml';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit } from 'yaml';
import { readInputFile } from '../util/read-file.js';
import { dirname, resolve } from 'node:path';
import { loadSystemModule, namesModule, PluginError, resolveModule } from '../systems/plugin-loader.js';
import { pluginFileOf, systemById, systemIds } from '../systems/registry.js';
import type { SystemModel } from '../systems/system-model.js';
import { parseConfigValue } from './config.js';
import { formatDuration, parseDuration, validatedDurationMs } from '../util/duration.js';
import type { DataPath } from './positions.js';
import { ProblemList, PROBLEMS_MAX } from './positions.js';
import { printable } from './printable.js';
import { checkSystemFaults, configRangesOf, faultKeysOf, systemFaultsOf } from './faults-check.js';
import { FAULTS_PER_KIND_MAX, scenarioFileSchema } from './schema.js';
import { parseTimeline } from './timeline.js';
import type { FaultsSpec, NetworkSpec, Scenario } from './types.js';
import { defaultNetworkSpec } from './types.js';
import { closest, unknownName } from '../util/names.js';
import { reportIssues } from './zod-issues.js';

/** One problem in a scenario file, with its 1-based position (line 0: about the file as a whole or a flag). */
export interface ScenarioProblem {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly message: string;
}

/** Bad input: every problem of a file, each `file:line:col: message`. */
export class ScenarioError extends Error {
  override name = 'ScenarioError';
  readonly file: string;
  readonly line: number;
  /** The first problem's column (1-based; 0 when it has no position), as CONTRACT §9 names it. */
  readonly column: number;
  /** The same as `column`. */
  readonly col: number;
  constructor(readonly problems: readonly ScenarioProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    const first = problems[0];
    this.file = first?.file ?? '';
    this.line = first?.line ?? 0;
    this.column = first?.col ?? 0;
    this.col = this.column;
  }
}

/** `file:line:col: message`, or `file: message` when the problem has no position. */
export function formatProblem(problem: ScenarioProblem): string {
  const file = printable(problem.file);
  const message = printable(problem.message);
  return problem.line > 0 ? `${file}:${problem.line}:${problem.col}: ${message}` : `${file}: ${message}`;
}

/** Larger files are not scenarios; refuse before parsing them (docs/scenarios.md: limits). */
export const FILE_BYTES_MAX = 8 * 1024 * 1024;
/** Keys that would poke at prototypes if a consumer ever copied the object naively. */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Reads, parses and validates a scenario file; throws ScenarioError on bad input. */
export function loadScenario(path: string): Scenario {
  const read = readInputFile(path, FILE_BYTES_MAX);
  if (!read.ok) throw new ScenarioError([{ file: path, line: 0, col: 0, message: read.reason }]);
  return parseScenarioBytes(read.bytes, path);
}

/** Like parseScenario, from raw bytes: rejects binary content and invalid UTF-8 first. */
export function parseScenarioBytes(bytes: Uint8Array, file: string): Scenario {
  if (bytes.length > FILE_BYTES_MAX)
    throw new ScenarioError([
      {
        file,
        line: 0,
        col: 0,
        message: `file too large (${bytes.length} bytes; allowed: up to ${FILE_BYTES_MAX})`,
      },
    ]);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const lossy = new TextDecoder('utf-8').decode(bytes);
    throw binaryError(file, lossy, lossy.indexOf('\uFFFD'), 'invalid UTF-8');
  }
  return parseScenario(text, file);
}

function binaryError(file: string, text: string, offset: number, what: string): ScenarioError {
  const counter = new LineCounter();
  let at = 0;
  for (;;) {
    counter.addNewLine(at);
    const next = text.indexOf('\n', at);
    if (next === -1 || next >= offset) break;
    at = next + 1;
  }
  const { line, col } = offset >= 0 ? counter.linePos(offset) : { line: 1, col: 1 };
  return new ScenarioError([
    { file, line, col, message: `binary content (${what}): a scenario file is YAML text` },
  ]);
}

/** Parses and validates scenario text; `file` is used in messages only. */
export function parseScenario(text: string, file: string): Scenario {
  const nul = text.indexOf('\u0000');
  if (nul !== -1) throw binaryError(file, text, nul, 'NUL byte');
  const lineCounter = new LineCounter();
  // YAML 1.2 counts a lone CR as a line break; the parser does not, so every position would be
  // on line 1. Same length, so offsets stay valid.
  const source = (text.startsWith('\uFEFF') ? text.slice(1) : text).replace(/\r(?!\n)/g, '\n');
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const problems = new ProblemList(file, doc, lineCounter, source);
  for (const error of doc.errors) problems.atOffset(error.pos[0], `YAML syntax: ${error.message}`);
  // A duplicate key is reported and validation goes on (every problem in one pass); any other
  // syntax error leaves no tree worth checking.
  if (doc.errors.some((error) => error.code !== 'DUPLICATE_KEY')) throw sortedError(problems);
  if (!aliasesResolve(doc, problems)) throw sortedError(problems);
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    throw new ScenarioError([
      {
        file,
        line: 1,
        col: 1,
        message: 'empty file: a scenario is a mapping with at least name, system and duration',
      },
    ]);
  }
  if (!isMap(doc.contents)) {
    const got = isSeq(doc.contents) ? 'a list' : 'a single value';
    problems.atOffset(
      doc.contents.range?.[0] ?? 0,
      `a scenario file must be a mapping of keys (name, system, duration, …), got ${got}`,
    );
    throw sortedError(problems);
  }
  removeForbiddenKeys(doc, problems);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    problems.atOffset(0, `YAML: ${(error as Error).message}`);
    throw sortedError(problems);
  }
  const scenario = validate(data as Record<string, unknown>, file, problems);
  if (scenario === null || !problems.empty) throw sortedError(problems);
  return scenario;
}

function sortedError(problems: ProblemList): ScenarioError {
  const list = [...problems.problems].sort((a, b) => a.line - b.line || a.col - b.col);
  if (problems.dropped > 0)
    list.push({
      file: problems.file,
      line: 0,
      col: 0,
      message: `… and ${problems.dropped} more problem(s) not shown (at most ${PROBLEMS_MAX} per file; fix these first)`,
    });
  return new ScenarioError(list);
}

/** An alias with no anchor before it is reported at the alias (the YAML library says 1:1). */
function aliasesResolve(doc: Document, problems: ProblemList): boolean {
  let ok = true;
  visit(doc, {
    Alias(_, alias) {
      if (alias.resolve(doc) !== undefined) return;
      ok = false;
      problems.atOffset(
        alias.range?.[0] ?? 0,
        `YAML: undefined alias *${alias.source} (no anchor &${alias.source} before it)`,
      );
    },
  });
  return ok;
}

function removeForbiddenKeys(doc: Document, problems: ProblemList): void {
  visit(doc, {
    Pair(_, pair) {
      if (!isScalar(pair.key) || !FORBIDDEN_KEYS.has(String(pair.key.value))) return undefined;
      problems.atOffset(pair.key.range?.[0] ?? 0, `'${String(pair.key.value)}' is not allowed as a key`);
      return visit.REMOVE;
    },
  });
}

/** Everything after YAML parsing: the generic shape (zod), then the system's parts. */
function validate(data: Record<string, unknown>, file: string, problems: ProblemList): Scenario | null {
  const parsed = scenarioFileSchema.safeParse(data);
  if (!parsed.success) reportIssues(problems, parsed.error.issues, [], scenarioFileSchema, data);
  const model = resolveSystem(data.system, file, problems);
  const durationMs = durationOf(data.duration);
  const duration = parseDuration(data.duration);
  if (duration.ok && duration.ms === 0) problems.atPath(['duration'], 'must be longer than 0');
  if (model === null) return null;

  if (typeof data.variant === 'string') {
    const wrong = model.checkVariant(data.variant);
    if (wrong !== null) problems.atPath(['variant'], wrong);
  }
  const cluster = parseCluster(model, data.cluster, problems);
  const usable = cluster.ok ? cluster.value : cluster.partial;
  const nodes = usable !== undefined ? model.nodes(usable) : null;
  const config = parseConfig(model, data.config, problems);
  const timeline = parseTimeline({
    problems,
    file,
    model,
    raw: data.timeline,
    nodes,
    cluster: usable,
    durationMs,
  });
  checkFaults(model, data.faults, durationMs, usable, problems);
  checkOneMessageDelay(data.network, data.faults, problems);
  checkExpect(model, data.expect, problems);
  if (!parsed.success || !problems.empty || durationMs === null || !cluster.ok) return null;

  const input = parsed.data;
  return {
    file,
    name: input.name,
    ...(input.description !== undefined ? { description: input.description } : {}),
    system: model.id,
    ...(pluginFileOf(model.id) !== undefined && typeof data.system === 'string' && data.system !== model.id
      ? { systemModule: pluginFileOf(model.id) }
      : {}),
    ...(input.variant !== undefined ? { variant: input.variant } : {}),
    ...(input.seed !== undefined ? { seed: input.seed } : {}),
    durationMs,
    config,
    network: networkOf(input.network ?? undefined),
    cluster: cluster.value,
    clusterSource: data.cluster ?? {},
    timeline,
    ...(input.faults != null ? { faults: faultsOf(model, input.faults) } : {}),
    ...(input.expect != null ? { expect: input.expect } : {}),
    ...(input.traceHash !== undefined ? { traceHash: input.traceHash } : {}),
  };
}

function resolveSystem(system: unknown, file: string, problems: ProblemList): SystemModel | null {
  if (typeof system !== 'string') return null; // zod already said what is wrong
  if (
    namesModule(system) ||
    (!systemIds().includes(system) && /^(@[a-z0-9-]+\/)?[a-z0-9][a-z0-9._-]*$/.test(system))
  )
    try {
      // A plug-in named by the file: a path relative to it, or a package it can import.
      const [model] = loadSystemModule(resolveModule(system, dirname(resolve(file)), file));
      return model ?? null;
    } catch (error) {
      if (!(error instanceof PluginError)) throw error;
      if (namesModule(system) || !/cannot find the system module/.test(error.reason)) {
        problems.atPath(['system'], `cannot load ${error.message}`);
        return null;
      }
    }
  if (!systemIds().includes(system)) {
    problems.atPath(['system'], unknownName('system', system, systemIds()));
    // A near miss (`mantsi`) is checked as the system it names, so one pass finds the rest.
    const guess = closest(system, systemIds());
    return guess === null ? null : systemById(guess);
  }
  return systemById(system);
}

function durationOf(value: unknown): number | null {
  const parsed = parseDuration(value);
  if (!parsed.ok || parsed.ms === 0) return null;
  return parsed.ms;
}

type ClusterResult =
  | { ok: true; value: unknown }
  /** `partial`: the cluster without its broken sections, when its nodes do not depend on them. */
  | { ok: false; partial: unknown };

function parseCluster(model: SystemModel, raw: unknown, problems: ProblemList): ClusterResult {
  const input = raw ?? {};
  const result = model.clusterSchema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  reportIssues(problems, result.error.issues, ['cluster'], model.clusterSchema, input);
  return { ok: false, partial: partialCluster(model, input, result.error.issues) };
}

/**
 * So that one pass reports every problem, a cluster with a broken section still names its nodes
 * when they do not depend on that section (a bad `jobs:` entry keeps `executors:`): the broken
 * top-level keys are left out, and a key counts as independent when setting it to `[]` parses
 * and names the same nodes. undefined when that cannot be shown.
 */
function partialCluster(
  model: SystemModel,
  input: unknown,
  issues: readonly { code: string; path: readonly PropertyKey[]; keys?: readonly string[] }[],
): unknown {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return undefined;
  const broken = new Set<string>();
  const unknownKeys = new Set<string>();
  for (const issue of issues) {
    const head = issue.path[0];
    if (issue.code === 'unrecognized_keys' && issue.path.length === 0)
      for (const key of issue.keys ?? []) unknownKeys.add(key);
    else if (typeof head === 'string') broken.add(head);
    else return undefined;
  }
  const kept = Object.fromEntries(
    Object.entries(input as Record<string, unknown>).filter(([k]) => !broken.has(k) && !unknownKeys.has(k)),
  );
  const pruned = model.clusterSchema.safeParse(kept);
  if (!pruned.success) return undefined;
  const nodes = model.nodes(pruned.data).join('\n');
  for (const key of broken) {
    const probe = model.clusterSchema.safeParse({ ...kept, [key]: [] });
    if (!probe.success || model.nodes(probe.data).join('\n') !== nodes) return undefined;
  }
  return pruned.data;
}

function parseConfig(
  model: SystemModel,
  raw: unknown,
  problems: ProblemList,
): Record<string, number | boolean | string> {
  const config: Record<string, number | boolean | string> = {};
  if (raw === null || raw === undefined || typeof raw !== 'object' || Array.isArray(raw)) return config;
  const valid = model.config.map((c) => c.key);
  for (const [key, value] of Object.entries(raw)) {
    const spec = model.config.find((c) => c.key === key);
    if (spec === undefined) {
      problems.atPath(['config', key], unknownName('key', key, valid, 'in config'), 'key');
      continue;
    }
    const result = parseConfigValue(spec, value, false);
    if (result.ok) config[key] = result.value;
    else problems.atPath(['config', key], result.error);
  }
  return config;
}

/** `network.messageDelay` (every run) and `faults.messageDelay` (drawn per seed) do not combine. */
function checkOneMessageDelay(network: unknown, faults: unknown, problems: ProblemList): void {
  const has = (section: unknown): boolean =>
    typeof section === 'object' &&
    section !== null &&
    (section as Record<string, unknown>).messageDelay !== undefined;
  if (has(network) && has(faults)) {
    problems.atPath(
      ['faults', 'messageDelay'],
      'network.messageDelay is set too (allowed: one of the two: network for every run, faults for a delay drawn per seed)',
      'key',
    );
  }
}

function checkFaults(
  model: SystemModel,
  raw: unknown,
  durationMs: number | null,
  cluster: unknown,
  problems: ProblemList,
): void {
  if (raw === null || raw === undefined || typeof raw !== 'object' || Array.isArray(raw)) return;
  const faults = raw as Record<string, unknown>;
  const kinds = ['crash', 'drop', 'partition', 'pause'] as const;
  for (const kind of kinds) {
    const spec = faults[kind] as Record<string, unknown> | undefined;
    if (spec === undefined || spec === null) continue;
    const path: DataPath = ['faults', kind];
    if (kind === 'drop' && model.dropSteps === undefined) {
      problems.atPath(
        path,
        `system ${model.id} has no drop fault (allowed: ${faultKeysOf(model).join(', ')})`,
        'key',
      );
      continue;
    }
    const every = parseDuration(spec.every);
    if (every.ok && every.ms === 0) problems.atPath([...path, 'every'], 'must be longer than 0');
    else if (every.ok && durationMs !== null && durationMs / every.ms > FAULTS_PER_KIND_MAX) {
      problems.atPath(
        [...path, 'every'],
        `about ${Math.round(durationMs / every.ms)} faults in ${formatDuration(durationMs)} (allowed: at most ${FAULTS_PER_KIND_MAX}; raise every)`,
      );
    }
    if (cluster !== undefined && model.faultTargets(cluster, kind).length === 0) {
      problems.atPath(path, `no node of this cluster can get a ${kind} fault`, 'key');
    }
  }
  checkSystemFaults(model, faults, durationMs, cluster, problems);
}

function checkExpect(model: SystemModel, raw: unknown, problems: ProblemList): void {
  if (raw === null || raw === undefined || typeof raw !== 'object' || Array.isArray(raw)) return;
  const invariants = model.invariants.map((i) => i.id);
  for (const [variant, ids] of Object.entries(raw)) {
    const wrong = model.checkVariant(variant);
    if (wrong !== null) problems.atPath(['expect', variant], wrong, 'key');
    if (!Array.isArray(ids)) continue;
    ids.forEach((id, index) => {
      if (typeof id === 'string' && !invariants.includes(id)) {
        problems.atPath(['expect', variant, index], unknownName('invariant', id, invariants));
      }
    });
  }
}

function networkOf(
  input:
    | {
        latency?: readonly unknown[] | undefined;
        drop?: number | undefined;
        duplicate?: number | undefined;
        messageDelay?: readonly unknown[] | undefined;
      }
    | undefined,
): NetworkSpec {
  if (input === undefined || input === null) return defaultNetworkSpec;
  return {
    latencyMs: input.latency !== undefined ? rangeOf(input.latency) : defaultNetworkSpec.latencyMs,
    drop: input.drop ?? defaultNetworkSpec.drop,
    duplicate: input.duplicate ?? defaultNetworkSpec.duplicate,
    messageDelayMs:
      input.messageDelay !== undefined ? rangeOf(input.messageDelay) : defaultNetworkSpec.messageDelayMs,
  };
}

const msOf = validatedDurationMs;

function rangeOf(value: readonly unknown[]): readonly [number, number] {
  return [msOf(value[0]), msOf(value[1])];
}

interface FaultsInput {
  crash?: { every: unknown; restartAfter?: readonly unknown[] | undefined } | undefined;
  drop?: { every: unknown; reconnectAfter?: readonly unknown[] | undefined } | undefined;
  partition?: { every: unknown; for: readonly unknown[] } | undefined;
  pause?: { every: unknown; for: readonly unknown[] } | undefined;
  messageDelay?: readonly unknown[] | undefined;
  swarm?: boolean | undefined;
  quiet?: unknown;
  config?: unknown;
}

function faultsOf(model: SystemModel, input: FaultsInput): FaultsSpec {
  const system = systemFaultsOf(model, input as Record<string, unknown>);
  const config = configRangesOf(model, input.config);
  return {
    ...(system !== undefined ? { system } : {}),
    ...(config !== undefined ? { config } : {}),
    ...(input.crash
      ? {
          crash: {
            everyMs: msOf(input.crash.every),
            ...(input.crash.restartAfter ? { restartAfterMs: rangeOf(input.crash.restartAfter) } : {}),
          },
        }
      : {}),
    ...(input.drop
      ? {
          drop: {
            everyMs: msOf(input.drop.every),
            ...(input.drop.reconnectAfter ? { reconnectAfterMs: rangeOf(input.drop.reconnectAfter) } : {}),
          },
        }
      : {}),
    ...(input.partition
      ? { partition: { everyMs: msOf(input.partition.every), forMs: rangeOf(input.partition.for) } }
      : {}),
    ...(input.pause ? { pause: { everyMs: msOf(input.pause.every), forMs: rangeOf(input.pause.for) } } : {}),
    ...(input.messageDelay ? { messageDelayMs: rangeOf(input.messageDelay) } : {}),
    ...(input.swarm !== undefined ? { swarm: input.swarm } : {}),
    ...(input.quiet !== undefined ? { quietMs: msOf(input.quiet) } : {}),
  };
}
