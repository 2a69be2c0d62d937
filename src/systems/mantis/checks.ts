import { z } from 'zod';
import type { CheckSpec, PlanStep } from '../system-model.js';
import type { MantisCluster } from './cluster.js';

/**
 * The Mantis `check` vocabulary: facts read from the actors' own state (ResourceClusterActor's
 * TaskExecutorStates and pool, the JobActors' worker metadata and pushes, each TE process's
 * current task, each consumer's connections), never from the invariants' bookkeeping.
 */

/** `A-1-0` (job A, stage 1, index 0), `A-1-0'` / `A-1-0''` (its replacements), `A-1-0#4`. */
export const WORKER_LABEL = /^([A-Za-z0-9_]+)-(\d+)-(\d+)('{1,2}|#\d+)?$/;
const AVAILABILITY = /^(Pending|Quarantined|unknown|untracked|(Assigned|Running)\((.+)\))$/;

/** Zod's message for a wrong value: `missing (required: …)` when absent, else `expected …`. */
function wanted(what: string): (issue: { readonly input: unknown }) => string {
  return (issue) => (issue.input === undefined ? `missing (required: ${what})` : `expected ${what}`);
}

const te = z.string({ error: wanted('a task executor id like TE-1') });
const workerLabel = z
  .string({ error: "expected a worker like A-1-0 (job-stage-index, ' per replacement)" })
  .regex(WORKER_LABEL, { error: "expected a worker like A-1-0 (job-stage-index, ' per replacement)" });
const jobId = z.string({ error: wanted('a job id') });

export const WORKER_STATES = [
  'Accepted',
  'Launched',
  'StartInitiated',
  'Started',
  'Failed',
  'Completed',
] as const;

const rcSchema = z
  .strictObject({
    rc: te,
    is: z
      .string({ error: wanted('Pending, Assigned(w), Running(w), Quarantined, unknown or untracked') })
      .refine(
        (value) => {
          const match = AVAILABILITY.exec(value);
          return match !== null && (match[3] === undefined || WORKER_LABEL.test(match[3]));
        },
        {
          error:
            'expected Pending, Assigned(w), Running(w) (w a worker like A-1-0), Quarantined, unknown (tracked, nothing reported yet) or untracked (no state: never seen, archived, or lost by a failover)',
        },
      )
      .optional(),
    registered: z.boolean({ error: wanted('true or false') }).optional(),
  })
  .refine((c) => c.is !== undefined || c.registered !== undefined, {
    error: 'names nothing to check (allowed: is, registered, or both)',
  });

const poolSchema = z.strictObject({ pool: te, is: z.boolean({ error: wanted('true or false') }) });

const workerSchema = z.strictObject({
  worker: workerLabel,
  is: z.enum([...WORKER_STATES, 'absent', 'present'], {
    error: wanted(`a worker state (allowed: ${[...WORKER_STATES, 'absent', 'present'].join(', ')})`),
  }),
  on: te.optional(),
});

const jobSchema = z.strictObject({
  job: jobId,
  is: z.enum(['Accepted', 'Launched', 'Failed'], { error: wanted('Accepted, Launched or Failed') }),
});

const taskSchema = z.strictObject({
  task: z.string({ error: wanted('an executor node like TE-1') }),
  is: z.union([workerLabel, z.enum(['none', 'down'])], {
    error: wanted('a worker like A-1-0, none (idle) or down (the process is not running)'),
  }),
});

const readsSchema = z.strictObject({
  reads: workerLabel,
  from: z.string({ error: wanted('an executor node like TE-1') }),
  is: z.union([workerLabel, z.literal('nothing')], {
    error: wanted('the worker it reads (like B-1-0) or nothing (no connection there)'),
  }),
});

const pushedSchema = z.strictObject({
  pushed: jobId,
  stage: z
    .number({ error: wanted('a stage number') })
    .int()
    .min(1),
  is: z.array(z.string(), { error: wanted('a list of hosts like [TE-1, TE-2] ([] = none)') }),
});

export type RcCheck = z.output<typeof rcSchema>;
export type PoolCheck = z.output<typeof poolSchema>;
export type WorkerCheck = z.output<typeof workerSchema>;
export type JobCheck = z.output<typeof jobSchema>;
export type TaskCheck = z.output<typeof taskSchema>;
export type ReadsCheck = z.output<typeof readsSchema>;
export type PushedCheck = z.output<typeof pushedSchema>;

export const mantisChecks: readonly CheckSpec[] = [
  {
    name: 'rc',
    meaning:
      "what the ResourceClusterActor holds for a TE (its TaskExecutorState's availability; untracked = no state) and/or whether it is registered",
    schema: rcSchema,
    example: 'check: { rc: TE-1, is: Running(A-1-0) }',
  },
  {
    name: 'pool',
    meaning: 'whether the RC has the TE in its available pool (executorsByGroup and isAvailable)',
    schema: poolSchema,
    example: 'check: { pool: TE-1, is: true }',
  },
  {
    name: 'worker',
    meaning:
      "the state of a worker in its JobActor's metadata (absent: the job never had it; present: any state), optionally the TE it was launched on",
    schema: workerSchema,
    example: 'check: { worker: A-1-0, is: Failed }',
  },
  {
    name: 'job',
    meaning: "a job's state in its metadata",
    schema: jobSchema,
    example: 'check: { job: A, is: Launched }',
  },
  {
    name: 'task',
    meaning: "a TE process's current task (none: idle; down: the process is not running)",
    schema: taskSchema,
    example: 'check: { task: TE-1, is: B-1-0 }',
  },
  {
    name: 'reads',
    meaning:
      "what a consumer worker reads on its connection to a host: the worker bound to that host's port, or nothing (not connected)",
    schema: readsSchema,
    example: 'check: { reads: A-2-0, from: TE-1, is: B-1-0 }',
  },
  {
    name: 'pushed',
    meaning: 'the hosts of one stage in the last JobSchedulingInfo a job pushed (order ignored)',
    schema: pushedSchema,
    example: 'check: { pushed: A, stage: 1, is: [TE-1, TE-2] }',
  },
];

/** Cross-references of a check against the cluster and the file's `submit` steps. */
export function crossCheckMantis(
  check: string,
  args: unknown,
  cluster: MantisCluster,
  steps: readonly PlanStep[],
): string | null {
  const teIds = [...new Set(cluster.executors.map((e) => e.teId))];
  const nodes = cluster.executors.map((e) => e.node);
  const jobs = new Map<string, readonly number[]>(cluster.jobs.map((j) => [j.id, j.stages]));
  for (const step of steps) {
    if (step.action !== 'submit') continue;
    const job = step.args as { id: string; stages: number[] };
    jobs.set(job.id, job.stages);
  }
  const knownTe = (id: string): string | null =>
    teIds.includes(id) ? null : `unknown task executor '${id}' (allowed: ${teIds.join(', ')})`;
  const knownNode = (node: string): string | null =>
    nodes.includes(node) ? null : `unknown executor '${node}' (allowed: ${nodes.join(', ')})`;
  const knownJob = (id: string): string | null =>
    jobs.has(id) ? null : `unknown job '${id}' (allowed: ${[...jobs.keys()].join(', ') || 'none'})`;
  const knownWorker = (label: string): string | null => {
    const match = WORKER_LABEL.exec(label);
    if (match === null) return `'${label}' is not a worker label`;
    const [, job, stage, index] = match as unknown as [string, string, string, string];
    const stages = jobs.get(job);
    if (stages === undefined) return knownJob(job);
    const count = stages[Number(stage) - 1];
    if (count === undefined) return `job ${job} has no stage ${stage} (it has ${stages.length})`;
    if (Number(index) >= count) return `stage ${stage} of job ${job} has no index ${index} (it has ${count})`;
    return null;
  };
  const first = (...problems: (string | null)[]): string | null => problems.find((p) => p !== null) ?? null;
  switch (check) {
    case 'rc': {
      const c = args as RcCheck;
      const inner = /\((.+)\)$/.exec(c.is ?? '')?.[1];
      return first(knownTe(c.rc), inner !== undefined ? knownWorker(inner) : null);
    }
    case 'pool':
      return knownTe((args as PoolCheck).pool);
    case 'worker': {
      const c = args as WorkerCheck;
      return first(knownWorker(c.worker), c.on !== undefined ? knownTe(c.on) : null);
    }
    case 'job':
      return knownJob((args as JobCheck).job);
    case 'task': {
      const c = args as TaskCheck;
      return first(knownNode(c.task), c.is === 'none' || c.is === 'down' ? null : knownWorker(c.is));
    }
    case 'reads': {
      const c = args as ReadsCheck;
      return first(
        knownWorker(c.reads),
        knownNode(c.from),
        c.is === 'nothing' ? null : knownWorker(c.is),
        Number(WORKER_LABEL.exec(c.reads)?.[2]) > 1
          ? null
          : `${c.reads} is a stage-1 worker: it reads from no one`,
      );
    }
    case 'pushed': {
      const c = args as PushedCheck;
      const stages = jobs.get(c.pushed);
      if (stages === undefined) return knownJob(c.pushed);
      if (c.stage > stages.length) return `job ${c.pushed} has no stage ${c.stage} (it has ${stages.length})`;
      return first(...c.is.map(knownNode));
    }
    default:
      return null;
  }
}
