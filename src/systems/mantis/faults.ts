import { formatDuration } from '../../util/duration.js';
import type { PlanStep, SystemFaultSpec } from '../system-model.js';
import type { MantisCluster } from './cluster.js';
import { CONTROL_PLANE } from './view.js';

const d = formatDuration;

/** Stage shapes a drawn `submit` picks from (a one-worker job, a two-worker job, a two-stage job). */
const SUBMIT_SHAPES: Readonly<Record<string, readonly number[]>> = { '1': [1], '2': [2], '1-1': [1, 1] };

/**
 * Mantis's own drawn faults (`faults:` keys beyond the generic crash/partition/pause): each draw is
 * written as the scripted actions a scenario would use, so a repro replays it as plain steps.
 */
export const mantisFaults: readonly SystemFaultSpec<MantisCluster>[] = [
  {
    name: 'failover',
    meaning: 'leader failover of the control plane (the `failover` action; edge case 7)',
    example: 'failover: { every: 10m }',
    ranges: [],
    targets: () => [CONTROL_PLANE],
    steps: ({ atMs }) => ({ steps: [{ atMs, action: 'failover', args: CONTROL_PLANE }] }),
  },
  {
    name: 'replacement',
    meaning:
      'a standby executor (cluster executor with standby: true) starts under the TaskExecutorID of a live one, a replacement container (edge case 6); it stops after `for` when given',
    example: 'replacement: { every: 5m, for: [30s, 3m] }',
    ranges: ['for'],
    targets: (cluster) => cluster.executors.filter((e) => e.standby).map((e) => e.node),
    steps: ({ atMs, target, forMs }) => {
      const steps: PlanStep[] = [{ atMs, action: 'restart', args: target }];
      if (forMs !== null) steps.push({ atMs: atMs + forMs, action: 'crash', args: target });
      return { steps };
    },
  },
  {
    name: 'shutdown',
    meaning:
      'graceful TE shutdown (TaskExecutorDisconnection, then the process stops); restarted after `for` when given',
    example: 'shutdown: { every: 5m, for: [10s, 2m] }',
    ranges: ['for'],
    targets: (cluster) => cluster.executors.filter((e) => !e.standby).map((e) => e.node),
    steps: ({ atMs, target, forMs }) => {
      const steps: PlanStep[] = [{ atMs, action: 'shutdown', args: target }];
      if (forMs !== null) steps.push({ atMs: atMs + forMs, action: 'restart', args: target });
      return { steps };
    },
  },
  {
    name: 'jcm-initializing',
    meaning:
      'the loss of one message kind: the JobClustersManager drops every WorkerEvent for `for` (edge case 4)',
    example: 'jcm-initializing: { every: 5m, for: [5s, 30s] }',
    ranges: ['for'],
    required: ['for'],
    targets: () => [CONTROL_PLANE],
    steps: ({ atMs, forMs }) => ({
      steps: [{ atMs, action: 'jcm-initializing', args: d(forMs ?? 0) }],
      untilMs: atMs + (forMs ?? 0),
    }),
  },
  {
    name: 'delay',
    meaning: "one executor's link turns slow: what it sends during `for` arrives `by` later (edge case 5)",
    example: 'delay: { every: 5m, for: [1s, 10s], by: [1s, 90s] }',
    ranges: ['for', 'by'],
    required: ['for', 'by'],
    targets: (cluster) => cluster.executors.map((e) => e.node),
    steps: ({ atMs, target, forMs, byMs }) => ({
      steps: [{ atMs, action: 'delay', args: { node: target, for: d(forMs ?? 0), by: d(byMs ?? 0) } }],
      untilMs: atMs + (forMs ?? 0),
    }),
  },
  {
    name: 'submit',
    meaning: 'a new job (X1, X2, …; one worker, two workers, or two stages) is submitted, during outages too',
    example: 'submit: { every: 5m }',
    ranges: [],
    targets: () => Object.keys(SUBMIT_SHAPES),
    steps: ({ atMs, target, serial }) => ({
      steps: [
        { atMs, action: 'submit', args: { id: `X${serial}`, stages: [...(SUBMIT_SHAPES[target] ?? [1])] } },
      ],
      untilMs: atMs - 1,
    }),
  },
];
