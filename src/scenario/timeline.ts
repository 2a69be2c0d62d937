import { z } from 'zod';
import type { PlanStep, SystemModel } from '../systems/system-model.js';
import { describeType, formatDuration, parseDuration } from '../util/duration.js';
import type { DataPath, ProblemList } from './positions.js';
import { CHECK_ACTION, crossCheckSteps, parseCheckStep } from './check-step.js';
import { durationSchema } from '../util/duration-schema.js';
import { GENERIC_ACTIONS } from './schema.js';
import { allowedList, unknownName } from '../util/names.js';
import { reportIssues } from './zod-issues.js';

export interface TimelineInput {
  readonly problems: ProblemList;
  readonly file: string;
  readonly model: SystemModel;
  readonly raw: unknown;
  /** Nodes of the cluster; null when the cluster is invalid (node checks are skipped then). */
  readonly nodes: readonly string[] | null;
  readonly cluster: unknown;
  readonly durationMs: number | null;
}

const pauseSchema = z.strictObject({ node: z.string(), for: durationSchema });

/**
 * `timeline:` → PlanSteps with `origin: 'file:line'`. Each step is a mapping of `at` plus
 * exactly one action. Generic actions get the runner's fixed argument shapes:
 * crash/restart → node name; pause → `{ node, forMs }`; partition → node[]; heal → node[] | 'all'.
 */
export function parseTimeline(input: TimelineInput): PlanStep[] {
  const { raw, problems } = input;
  if (!Array.isArray(raw)) return [];
  const steps: PlanStep[] = [];
  const checkPaths = new Map<PlanStep, DataPath>();
  const actionNames = [...GENERIC_ACTIONS.map((a) => a.name), ...input.model.actions.map((a) => a.name)];
  const nodeSet = input.nodes === null ? null : new Set(input.nodes);
  raw.forEach((item: unknown, index) => {
    const path: DataPath = ['timeline', index];
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      problems.atPath(
        path,
        `expected a step mapping like '- at: 30s' + one action, got ${describeType(item)}`,
      );
      return;
    }
    const entries = Object.entries(item as Record<string, unknown>);
    const actions = entries.filter(([key]) => key !== 'at');
    for (const [key] of actions) {
      if (!actionNames.includes(key))
        problems.atPath([...path, key], unknownName('action', key, actionNames), 'key');
    }
    const known = actions.filter(([key]) => actionNames.includes(key));
    if (known.length > 1) {
      problems.atPath(
        [...path, (known[1] as [string, unknown])[0]],
        `two actions in one step (${known.map(([k]) => k).join(', ')}); write one step per action`,
        'key',
      );
    }
    if (actions.length === 0)
      problems.atPath(
        path,
        `step has no action (allowed: at plus one of ${allowedList(actionNames, actionNames.length)})`,
      );
    const atMs = parseAt(input, path, (item as Record<string, unknown>).at);
    if (known.length !== 1 || actions.length !== 1) return;
    const [action, value] = known[0] as [string, unknown];
    const args = parseArgs(input, nodeSet, [...path, action], action, value);
    if (atMs === null || args === undefined) return;
    const { line } = problems.position(path);
    const step: PlanStep = { atMs, action, args, origin: `${input.file}:${line}` };
    if (action === CHECK_ACTION) checkPaths.set(step, [...path, action]);
    steps.push(step);
  });
  return input.nodes === null
    ? steps
    : crossCheckSteps(problems, input.model, input.cluster, steps, checkPaths);
}

function parseAt(input: TimelineInput, path: DataPath, value: unknown): number | null {
  if (value === undefined) {
    input.problems.atPath(
      [...path, 'at'],
      'missing (required: when the step runs, a duration from the start)',
    );
    return null;
  }
  const parsed = parseDuration(value);
  if (!parsed.ok) {
    input.problems.atPath([...path, 'at'], parsed.error);
    return null;
  }
  if (input.durationMs !== null && parsed.ms > input.durationMs) {
    input.problems.atPath(
      [...path, 'at'],
      `${formatDuration(parsed.ms)} is after the end of the run (duration ${formatDuration(input.durationMs)})`,
    );
    return null;
  }
  return parsed.ms;
}

/** undefined = invalid (problems recorded). */
function parseArgs(
  input: TimelineInput,
  nodeSet: ReadonlySet<string> | null,
  path: DataPath,
  action: string,
  value: unknown,
): unknown {
  const { problems, nodes } = input;
  const checkNode = (node: unknown, at: DataPath): boolean => {
    if (typeof node !== 'string') {
      problems.atPath(at, `expected a node name, got ${describeType(node)}`);
      return false;
    }
    if (nodes !== null && nodeSet !== null && !nodeSet.has(node)) {
      if (!problems.full) problems.atPath(at, unknownName('node', node, nodes));
      else problems.dropped++;
      return false;
    }
    return true;
  };
  const checkNodeList = (list: unknown, at: DataPath): string[] | undefined => {
    if (!Array.isArray(list) || list.length === 0) {
      problems.atPath(
        at,
        `expected a non-empty list of node names like [TE-1, TE-2], got ${describeType(list)}`,
      );
      return undefined;
    }
    const ok = list.map((node, i) => checkNode(node, [...at, i])).every(Boolean);
    return ok ? (list as string[]) : undefined;
  };
  switch (action) {
    case 'crash':
    case 'restart':
      return checkNode(value, path) ? value : undefined;
    case 'pause': {
      const parsed = pauseSchema.safeParse(value);
      if (!parsed.success) {
        reportIssues(problems, parsed.error.issues, path, pauseSchema, value);
        return undefined;
      }
      if (!checkNode(parsed.data.node, [...path, 'node'])) return undefined;
      const forMs = parseDuration(parsed.data.for);
      return forMs.ok ? { node: parsed.data.node, forMs: forMs.ms } : undefined;
    }
    case 'partition':
      return checkNodeList(value, path);
    case 'heal':
      return value === 'all' ? 'all' : checkNodeList(value, path);
    case CHECK_ACTION:
      return parseCheckStep(problems, input.model, path, value);
    default:
      return parseSystemAction(input, path, action, value);
  }
}

function parseSystemAction(input: TimelineInput, path: DataPath, action: string, value: unknown): unknown {
  const spec = input.model.actions.find((a) => a.name === action);
  if (spec === undefined) return undefined;
  const parsed = spec.schema.safeParse(value);
  if (!parsed.success) {
    reportIssues(input.problems, parsed.error.issues, path, spec.schema, value);
    return undefined;
  }
  if (input.nodes !== null && input.model.checkAction !== undefined) {
    const wrong = input.model.checkAction(action, parsed.data, input.cluster);
    if (wrong !== null) {
      input.problems.atPath(path, wrong);
      return undefined;
    }
  }
  return parsed.data;
}
