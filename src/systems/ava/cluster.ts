import { z } from 'zod';
import { durationSchema } from '../../util/duration-schema.js';
import { validatedDurationMs } from '../../util/duration.js';

/** Trigger kinds of a task (`TaskTrigger`); cron and fixedTime run in the time engine. */
export const TRIGGERS = ['event', 'block', 'cron', 'fixedTime'] as const;
export type Trigger = (typeof TRIGGERS)[number];

export interface Capabilities {
  readonly event: boolean;
  readonly block: boolean;
  readonly time: boolean;
}

export interface OperatorSpec {
  readonly address: string;
  /** Node (process) name; two processes may share an address (specs/ava.md E5). */
  readonly node: string;
  readonly approved: boolean;
  /**
   * What the operator advertises in SyncMessagesReq.capabilities. Defaults to all three: the spec
   * (§1.3) has an operator advertise EventMonitoring:true even when its event engine is off
   * [inferred], so an advertisement need not match what the operator can monitor.
   */
  readonly capabilities: Capabilities;
  /** First connect, ms; null = only through a timeline `connect`. */
  readonly connectAtMs: number | null;
}

export interface TaskSpec {
  readonly id: string;
  readonly trigger: Trigger;
}

export interface AvaCluster {
  readonly operators: readonly OperatorSpec[];
  readonly tasks: readonly TaskSpec[];
}

const toMs = validatedDurationMs;

export const triggerSchema = z.enum(TRIGGERS);

const capabilitiesSchema = z.strictObject({
  event: z.boolean().default(true),
  block: z.boolean().default(true),
  time: z.boolean().default(true),
});

const operatorSchema = z.strictObject({
  address: z
    .string()
    .min(1)
    .meta({ description: 'Operator address, e.g. 0xA1 (case-sensitive key, case-insensitive approval).' }),
  node: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/)
    .optional()
    .meta({ description: 'Process (node) name; default: the address. Two processes may share an address.' }),
  approved: z.boolean().default(true),
  capabilities: capabilitiesSchema.default({ event: true, block: true, time: true }),
  connectAt: z
    .union([z.literal('never'), durationSchema])
    .default(0)
    .meta({ description: "First connect time, or 'never' (connects only through a timeline connect)." }),
});

const taskSchema = z.strictObject({ id: z.string().min(1), trigger: triggerSchema.default('event') });

export const avaClusterSchema: z.ZodType<AvaCluster> = z
  .strictObject({
    operators: z
      .array(operatorSchema)
      .min(1)
      .optional()
      .meta({ description: 'Operators; default: one approved operator 0xA1 connecting at 0s.' }),
    tasks: z
      .array(taskSchema)
      .optional()
      .meta({ description: 'Tasks; default: none, or one event task T1 when the cluster is empty ({}).' }),
  })
  .transform((cluster) => withDefaults(cluster))
  .superRefine((cluster, ctx) => {
    const nodes = new Set<string>();
    for (const [i, op] of cluster.operators.entries()) {
      const node = op.node ?? op.address;
      if (node === 'aggregator' || nodes.has(node)) {
        ctx.addIssue({
          code: 'custom',
          path: ['operators', i, op.node === undefined ? 'address' : 'node'],
          message: `process name '${node}' is taken; give one of them a distinct 'node'`,
        });
      }
      nodes.add(node);
    }
    const ids = new Set<string>();
    for (const [i, task] of cluster.tasks.entries()) {
      if (ids.has(task.id))
        ctx.addIssue({
          code: 'custom',
          path: ['tasks', i, 'id'],
          message: `task id '${task.id}' appears twice`,
        });
      ids.add(task.id);
    }
  })
  .transform((cluster) => ({
    operators: cluster.operators.map((op) => ({
      address: op.address,
      node: op.node ?? op.address,
      approved: op.approved,
      capabilities: op.capabilities,
      connectAtMs: op.connectAt === 'never' ? null : toMs(op.connectAt),
    })),
    tasks: cluster.tasks.map((t) => ({ id: t.id, trigger: t.trigger })),
  })) as unknown as z.ZodType<AvaCluster>;

/** `cluster: {}` is the smallest meaningful setup: one approved operator 0xA1 and one event task T1. */
function withDefaults(cluster: {
  operators?: z.output<typeof operatorSchema>[] | undefined;
  tasks?: z.output<typeof taskSchema>[] | undefined;
}) {
  const empty = cluster.operators === undefined && cluster.tasks === undefined;
  return {
    operators: cluster.operators ?? [operatorSchema.parse({ address: '0xA1' })],
    tasks: cluster.tasks ?? (empty ? [taskSchema.parse({ id: 'T1' })] : []),
  };
}

/** The process named `name`, or the one process with that address. */
export function findOperator(cluster: AvaCluster, name: string): OperatorSpec | undefined {
  const byNode = cluster.operators.find((op) => op.node === name);
  if (byNode !== undefined) return byNode;
  const byAddress = cluster.operators.filter((op) => op.address === name);
  return byAddress.length === 1 ? byAddress[0] : undefined;
}
