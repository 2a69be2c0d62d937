import { z } from 'zod';
import { validatedDurationMs } from '../../util/duration.js';
import { durationSchema } from '../../util/duration-schema.js';
import { unknownName } from '../../util/names.js';

/** One task executor process (a node). Two processes may share a `teId` (edge case 6). */
export interface ExecutorSpec {
  /** Node (process) name; also its hostname. */
  readonly node: string;
  /** Configured, stable TaskExecutorID (mantis.taskexecutor.id); default: the node name. */
  readonly teId: string;
  /**
   * A replacement container kept ready: its process is down until a `restart` (the drawn
   * `replacement` fault) starts it, usually under the id of a live executor.
   */
  readonly standby: boolean;
}

export interface JobSpec {
  readonly id: string;
  /** Job cluster (upstream `jobCluster`); default: the job id. */
  readonly cluster: string;
  /** Workers per stage; stage k+1 reads from stage k. */
  readonly stages: readonly number[];
  readonly submitAtMs: number;
  /** Per-job mantis.job.worker.timeout.secs; null = the config `workerTimeout`. */
  readonly workerTimeoutMs: number | null;
  /** First placement of each stage's workers by index (hard constraint); null = anywhere. */
  readonly placement: readonly (readonly string[])[] | null;
}

export interface MantisCluster {
  readonly executors: readonly ExecutorSpec[];
  readonly jobs: readonly JobSpec[];
}

const toMs = validatedDurationMs;

const name = z.string().regex(/^[A-Za-z0-9_.-]+$/, 'expected a name of letters, digits, _ . -');

/** Default submit time: 1s, so the TEs have registered before the first placement (legacy scheduler retries only every minute). */
const DEFAULT_SUBMIT_AT_MS = 1000;

export const jobSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_]+$/, 'expected a job id of letters, digits and _'),
  cluster: name.optional().meta({ description: 'Job cluster name (routing key); default: the job id.' }),
  stages: z
    .array(z.number().int().min(1).max(1000))
    .min(1)
    .meta({ description: 'Workers per stage; stage k+1 reads from stage k.' }),
  submitAt: durationSchema.optional().meta({ description: 'When the job is submitted; default 1s.' }),
  workerTimeout: durationSchema
    .optional()
    .meta({ description: 'Per-job worker timeout T (CHECK_HB period).' }),
  placement: z.array(z.array(name)).optional().meta({
    description: "First placement of each stage's workers by index (TE node names), a hard constraint.",
  }),
});

export function toJobSpec(job: z.output<typeof jobSchema>): JobSpec {
  return {
    id: job.id,
    cluster: job.cluster ?? job.id,
    stages: job.stages,
    submitAtMs: job.submitAt === undefined ? DEFAULT_SUBMIT_AT_MS : toMs(job.submitAt),
    workerTimeoutMs: job.workerTimeout === undefined ? null : toMs(job.workerTimeout),
    placement: job.placement ?? null,
  };
}

const executorSchema = z.union([
  name,
  z.strictObject({
    name,
    id: name.optional().meta({ description: 'TaskExecutorID; default: the name.' }),
    standby: z.boolean().optional().meta({
      description:
        'A replacement container: down from the start, started by `restart` (e.g. the drawn replacement fault).',
    }),
  }),
]);

/** Model size limits (docs/scenarios.md: limits): beyond them a file is refused with the limit named. */
export const EXECUTORS_MAX = 100_000;
export const JOBS_MAX = 10_000;

export const mantisClusterSchema: z.ZodType<MantisCluster> = z
  .strictObject({
    executors: z
      .union([
        z.number().int().min(1).max(EXECUTORS_MAX),
        z.array(executorSchema).min(1).max(EXECUTORS_MAX, `at most ${EXECUTORS_MAX} executors`),
      ])
      .optional()
      .meta({ description: 'A count (TE-1..TE-n) or a list of names; default 4.' }),
    jobs: z
      .array(jobSchema)
      .max(JOBS_MAX, `at most ${JOBS_MAX} jobs`)
      .optional()
      .meta({ description: "Jobs; default: none, or the report's two jobs when the cluster is empty ({})." }),
  })
  .transform((cluster) => withDefaults(cluster))
  .superRefine((cluster, ctx) => {
    const nodes = executorNodes(cluster.executors);
    const seen = new Set<string>();
    for (const n of nodes) {
      if (n === 'control-plane' || seen.has(n))
        ctx.addIssue({
          code: 'custom',
          path: ['executors'],
          message: `executor name '${n}' is taken; names must be unique and not 'control-plane'`,
        });
      seen.add(n);
    }
    const ids = new Set<string>();
    for (const [i, job] of cluster.jobs.entries()) {
      if (ids.has(job.id))
        ctx.addIssue({
          code: 'custom',
          path: ['jobs', i, 'id'],
          message: `job id '${job.id}' appears twice`,
        });
      ids.add(job.id);
      checkPlacement(job, seen, (message, path) =>
        ctx.addIssue({ code: 'custom', path: ['jobs', i, ...path], message }),
      );
    }
  })
  .transform((cluster) => ({
    executors: executorNodes(cluster.executors).map((node, i) => {
      const raw = Array.isArray(cluster.executors) ? cluster.executors[i] : undefined;
      const teId = typeof raw === 'object' && raw !== undefined && raw.id !== undefined ? raw.id : node;
      const standby = typeof raw === 'object' && raw !== undefined && raw.standby === true;
      return { node, teId, standby };
    }),
    jobs: cluster.jobs.map(toJobSpec),
  })) as unknown as z.ZodType<MantisCluster>;

/**
 * `cluster: {}` (the CONTRACT's example) is the report's cluster: 4 TEs; job A with two stage-1
 * workers on TE-1, TE-2 and a stage-2 consumer on TE-3; job B with one worker on TE-4 and one
 * pending (no free TE), so a reused TE is taken at the next scheduler retry.
 */
const DEFAULT_EXECUTORS = 4;
const REPORT_JOBS: readonly z.output<typeof jobSchema>[] = [
  { id: 'A', stages: [2, 1], placement: [['TE-1', 'TE-2'], ['TE-3']] },
  { id: 'B', stages: [2], placement: [['TE-4']] },
];

function withDefaults(cluster: {
  executors?:
    | number
    | (string | { name: string; id?: string | undefined; standby?: boolean | undefined })[]
    | undefined;
  jobs?: z.output<typeof jobSchema>[] | undefined;
}) {
  const empty = cluster.executors === undefined && cluster.jobs === undefined;
  return {
    executors: cluster.executors ?? DEFAULT_EXECUTORS,
    jobs: cluster.jobs ?? (empty ? [...REPORT_JOBS] : []),
  };
}

/** Placement must name known executors, one list per stage, at most one name per worker. */
export function checkPlacement(
  job: z.output<typeof jobSchema>,
  executors: ReadonlySet<string>,
  report: (message: string, path: (string | number)[]) => void,
): void {
  if (job.placement === undefined) return;
  if (job.placement.length > job.stages.length)
    report(`placement has ${job.placement.length} stages but the job has ${job.stages.length}`, [
      'placement',
    ]);
  for (const [s, list] of job.placement.entries()) {
    const workers = job.stages[s] ?? 0;
    if (list.length > workers)
      report(`placement of stage ${s + 1} names ${list.length} executors for ${workers} workers`, [
        'placement',
        s,
      ]);
    for (const [k, te] of list.entries()) {
      if (!executors.has(te)) report(unknownName('executor', te, executors), ['placement', s, k]);
    }
  }
}

function executorNodes(executors: number | readonly (string | { name: string })[]): string[] {
  if (typeof executors === 'number') return Array.from({ length: executors }, (_, i) => `TE-${i + 1}`);
  return executors.map((e) => (typeof e === 'string' ? e : e.name));
}
