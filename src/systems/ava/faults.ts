import type { PlanStep, SystemFaultSpec } from '../system-model.js';
import type { AvaCluster } from './cluster.js';
import { TRIGGERS } from './cluster.js';

const AGGREGATOR = 'aggregator';

/** Operators that start with no connection of their own and share an address with another. */
function sparesOf(cluster: AvaCluster): string[] {
  return cluster.operators
    .filter(
      (op) => op.connectAtMs === null && cluster.operators.some((o) => o !== op && o.address === op.address),
    )
    .map((op) => op.node);
}

/**
 * Ava's own drawn faults (`faults:` keys beyond crash/drop/partition/pause): each draw is written
 * as the scripted actions a scenario would use, so a repro replays it as plain steps.
 */
export const avaFaults: readonly SystemFaultSpec<AvaCluster>[] = [
  {
    name: 'aggregator-restart',
    meaning: 'the aggregator process crashes and starts again after `for` (at once when not given; S7)',
    example: 'aggregator-restart: { every: 5m, for: [1s, 30s] }',
    ranges: ['for'],
    targets: () => [AGGREGATOR],
    steps: ({ atMs, forMs }) => ({
      steps:
        forMs === null
          ? [{ atMs, action: 'restart', args: AGGREGATOR }]
          : [
              { atMs, action: 'crash', args: AGGREGATOR },
              { atMs: atMs + forMs, action: 'restart', args: AGGREGATOR },
            ],
    }),
  },
  {
    name: 'sigterm',
    meaning: 'SIGTERM to the aggregator (a deploy, E12); it is started again `for` later',
    example: 'sigterm: { every: 5m, for: [5s, 60s] }',
    ranges: ['for'],
    required: ['for'],
    targets: () => [AGGREGATOR],
    steps: ({ atMs, forMs }) => ({
      steps: [
        { atMs, action: 'sigterm', args: AGGREGATOR },
        { atMs: atMs + (forMs ?? 0), action: 'restart', args: AGGREGATOR },
      ],
    }),
  },
  {
    name: 'shared-address',
    meaning:
      "a second process of a live operator's address (an operator with connectAt: never sharing an address) connects, a blue/green deploy (E5); it crashes after `for` when given",
    example: 'shared-address: { every: 5m, for: [10s, 2m] }',
    ranges: ['for'],
    targets: sparesOf,
    steps: ({ atMs, target, forMs }) => {
      const steps: PlanStep[] = [{ atMs, action: 'connect', args: { operator: target, clock: 'next' } }];
      if (forMs !== null) steps.push({ atMs: atMs + forMs, action: 'crash', args: target });
      return { steps };
    },
  },
  {
    name: 'stall',
    meaning:
      "one operator's link stops draining for `for`: Sends block, and one that timed out is still delivered (a duplicate, E11)",
    example: 'stall: { every: 5m, for: [1s, 10s] }',
    ranges: ['for'],
    required: ['for'],
    targets: (cluster) => cluster.operators.map((op) => op.node),
    steps: ({ atMs, target, forMs }) => ({
      steps: [{ atMs, action: 'stall', args: { operator: target, for: `${forMs ?? 0}ms` } }],
      untilMs: atMs + (forMs ?? 0),
    }),
  },
  {
    name: 'disconnect',
    meaning: "a clean close of one operator's stream; the operator redials after operatorRetryDelay",
    example: 'disconnect: { every: 5m }',
    ranges: [],
    targets: (cluster) => cluster.operators.map((op) => op.node),
    steps: ({ atMs, target }) => ({ steps: [{ atMs, action: 'disconnect', args: target }] }),
  },
  {
    name: 'create-task',
    meaning: 'CreateTask of a new task (N1, N2, …) of a drawn trigger, during outages too',
    example: 'create-task: { every: 3m }',
    ranges: [],
    targets: () => [...TRIGGERS],
    steps: ({ atMs, target, serial }) => ({
      steps: [{ atMs, action: 'create-task', args: { id: `N${serial}`, trigger: target } }],
      untilMs: atMs - 1,
    }),
  },
  {
    name: 'cancel-task',
    meaning: "CancelTaskByUser of one of the cluster's tasks, during outages too (E10)",
    example: 'cancel-task: { every: 5m }',
    ranges: [],
    targets: (cluster) => cluster.tasks.map((t) => t.id),
    steps: ({ atMs, target }) => ({ steps: [{ atMs, action: 'cancel-task', args: target }] }),
  },
  {
    name: 'delete-task',
    meaning: "DeleteTaskByUser of one of the cluster's tasks, during outages too (S6)",
    example: 'delete-task: { every: 5m }',
    ranges: [],
    targets: (cluster) => cluster.tasks.map((t) => t.id),
    steps: ({ atMs, target }) => ({ steps: [{ atMs, action: 'delete-task', args: target }] }),
  },
];
