import { z } from 'zod';
import type { CheckSpec, PlanStep } from '../system-model.js';
import type { AvaCluster } from './cluster.js';

/**
 * The Ava `check` vocabulary: facts read from the actors' own state (the aggregator Engine's
 * maps, each StreamCheckToOperator handler, each operator process's local checks), never from
 * the invariants' bookkeeping.
 */

/** Zod's message for a wrong value: `missing (required: …)` when absent, else `expected …`. */
function wanted(what: string): (issue: { readonly input: unknown }) => string {
  return (issue) => (issue.input === undefined ? `missing (required: ${what})` : `expected ${what}`);
}

/** A connection, named as the timeline names it: `c<n>`, the n-th accepted SyncMessages. */
export const CONNECTION = /^c[1-9]\d*$/;

const address = z.string({ error: wanted('an operator address like 0xA1') }).min(1);
const taskId = z.string({ error: wanted('a task id like T1') }).min(1);
const connection = z
  .string({ error: wanted('a connection like c2') })
  .regex(CONNECTION, { error: 'expected a connection like c2 (the n-th accepted connect)' });
const taskList = z.array(taskId, { error: wanted('a list of task ids like [T1, T2] ([] = none)') });

const assignmentSchema = z.strictObject({
  assignment: taskId,
  is: z.string({ error: wanted("an operator address, or 'none' (no entry)") }).min(1),
});
const streamSchema = z.strictObject({
  stream: address,
  is: z.union([connection, z.literal('none')], {
    error: wanted("a connection like c2, or 'none' (no entry)"),
  }),
});
const syncedSchema = z.strictObject({ synced: address, is: taskList });
const clockSchema = z.strictObject({
  clock: address,
  is: z.union([z.number().int(), z.literal('absent')], {
    error: wanted("an integer, or 'absent' (no operatorState)"),
  }),
});
const tickersSchema = z.strictObject({
  tickers: address,
  is: z
    .number({ error: wanted('a count of handlers') })
    .int()
    .min(0),
});
const handlerSchema = z.strictObject({
  handler: connection,
  is: z.enum(['running', 'parked', 'exited'], { error: wanted('running, parked or exited') }),
});
const sentSchema = z.strictObject({
  sent: connection,
  task: taskId,
  is: z.boolean({ error: wanted('true or false') }).default(true),
});
const notifiedSchema = z.strictObject({
  notified: connection,
  is: z.array(z.string().regex(/^(CancelTask|DeleteTask)\(.+\)$/), {
    error: wanted('a list like [DeleteTask(T1)] ([] = none)'),
  }),
});
const monitorsSchema = z.strictObject({
  monitors: z.string({ error: wanted('an operator process (node) name') }).min(1),
  is: z.union([taskList, z.literal('down')], { error: wanted("a list of task ids, or 'down'") }),
});

export type AssignmentCheck = z.output<typeof assignmentSchema>;
export type StreamCheck = z.output<typeof streamSchema>;
export type SyncedCheck = z.output<typeof syncedSchema>;
export type ClockCheck = z.output<typeof clockSchema>;
export type TickersCheck = z.output<typeof tickersSchema>;
export type HandlerCheck = z.output<typeof handlerSchema>;
export type SentCheck = z.output<typeof sentSchema>;
export type NotifiedCheck = z.output<typeof notifiedSchema>;
export type MonitorsCheck = z.output<typeof monitorsSchema>;

export const avaChecks: readonly CheckSpec[] = [
  {
    name: 'assignment',
    meaning: "the aggregator's taskAssignments entry of a task (none: no entry)",
    schema: assignmentSchema,
    example: 'check: { assignment: T1, is: 0xA1 }',
  },
  {
    name: 'stream',
    meaning: 'the connection operatorStreams holds for an address (none: no entry)',
    schema: streamSchema,
    example: 'check: { stream: 0xA1, is: c2 }',
  },
  {
    name: 'synced',
    meaning: "the tasks in an address's trackSyncedTasks TaskID set (order ignored)",
    schema: syncedSchema,
    example: 'check: { synced: 0xA1, is: [T1] }',
  },
  {
    name: 'clock',
    meaning: "an address's stored MonotonicClock (absent: no operatorState)",
    schema: clockSchema,
    example: 'check: { clock: 0xA1, is: 1750000000 }',
  },
  {
    name: 'tickers',
    meaning:
      'how many handlers of an address still run a ticker (not exited, not parked, ticker ctx not cancelled)',
    schema: tickersSchema,
    example: 'check: { tickers: 0xA1, is: 1 }',
  },
  {
    name: 'handler',
    meaning:
      "a connection's StreamCheckToOperator: running, parked (blocked for good) or exited (returned, or gone with its aggregator process); a connection never accepted fails every connection check",
    schema: handlerSchema,
    example: 'check: { handler: c1, is: exited }',
  },
  {
    name: 'sent',
    meaning: "whether a connection's stream carried MonitorTaskTrigger of a task (ticker or create push)",
    schema: sentSchema,
    example: 'check: { sent: c2, task: T1 }',
  },
  {
    name: 'notified',
    meaning: "the batched CancelTask/DeleteTask messages a connection's stream carried, in order",
    schema: notifiedSchema,
    example: 'check: { notified: c1, is: [DeleteTask(T1)] }',
  },
  {
    name: 'monitors',
    meaning: 'the tasks an operator process holds local checks for (down: it is not running), order ignored',
    schema: monitorsSchema,
    example: 'check: { monitors: 0xA1, is: [T1] }',
  },
];

/** Cross-references: known addresses, processes and tasks (a create-task later in the file counts). */
export function crossCheckAva(
  check: string,
  args: unknown,
  cluster: AvaCluster,
  steps: readonly PlanStep[],
): string | null {
  const addresses = [...new Set(cluster.operators.map((op) => op.address))];
  const nodes = cluster.operators.map((op) => op.node);
  const tasks = new Set(cluster.tasks.map((t) => t.id));
  for (const step of steps) if (step.action === 'create-task') tasks.add((step.args as { id: string }).id);
  const knownAddress = (a: string): string | null =>
    addresses.includes(a) ? null : `unknown operator address '${a}' (allowed: ${addresses.join(', ')})`;
  const knownTask = (t: string): string | null =>
    tasks.has(t) ? null : `unknown task '${t}' (allowed: ${[...tasks].join(', ') || 'none'})`;
  const firstOf = (problems: (string | null)[]): string | null => problems.find((p) => p !== null) ?? null;
  switch (check) {
    case 'assignment': {
      const c = args as AssignmentCheck;
      return firstOf([knownTask(c.assignment), c.is === 'none' ? null : knownAddress(c.is)]);
    }
    case 'stream':
      return knownAddress((args as StreamCheck).stream);
    case 'synced': {
      const c = args as SyncedCheck;
      return firstOf([knownAddress(c.synced), ...c.is.map(knownTask)]);
    }
    case 'clock':
      return knownAddress((args as ClockCheck).clock);
    case 'tickers':
      return knownAddress((args as TickersCheck).tickers);
    case 'sent':
      return knownTask((args as SentCheck).task);
    case 'monitors': {
      const c = args as MonitorsCheck;
      if (!nodes.includes(c.monitors))
        return `unknown operator process '${c.monitors}' (allowed: ${nodes.join(', ')})`;
      return c.is === 'down' ? null : firstOf(c.is.map(knownTask));
    }
    default:
      return null;
  }
}
