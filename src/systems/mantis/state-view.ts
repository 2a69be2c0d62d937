import type { ActorRef, Simulation } from '../../engine/index.js';
import type { CheckVerdict } from '../system-model.js';
import type {
  RcCheck,
  PoolCheck,
  WorkerCheck,
  JobCheck,
  TaskCheck,
  ReadsCheck,
  PushedCheck,
} from './checks.js';
import type { MantisCluster } from './cluster.js';
import type { WorkerId } from './ids.js';
import { workerLabel } from './ids.js';
import type { JobActor } from './job-actor.js';
import type { JobMetadata, WorkerRecord } from './job-metadata.js';
import type { ResourceClusterActor } from './resource-cluster-actor.js';
import { RC_ACTOR, TE_ACTOR } from './resource-cluster-actor.js';
import { jobActorName } from './router.js';
import { describeAvailability } from './task-executor-state.js';
import type { TaskExecutorActor } from './task-executor.js';
import type { WorkerProcess } from './worker.js';

const CONTROL_PLANE = 'control-plane';
/** Durable key of the job store (index.ts writes it; a failover re-reads it). */
const STORE_JOBS = 'jobs';

/**
 * The system's view, read from the actors themselves (and the control plane's job store), for
 * `check` steps and `run --json` state. Read-only: nothing here sends, notes or draws.
 */
export class MantisStateReader {
  constructor(
    private readonly sim: Simulation,
    private readonly cluster: MantisCluster,
  ) {}

  private rc(): ResourceClusterActor | undefined {
    return this.sim.instance<ResourceClusterActor>(this.sim.ref(CONTROL_PLANE, RC_ACTOR));
  }

  private jobs(): ReadonlyMap<string, JobMetadata> {
    const store = this.sim.durableAt(this.sim.nodeIndex(CONTROL_PLANE)).get(STORE_JOBS);
    return (store as ReadonlyMap<string, JobMetadata> | undefined) ?? new Map();
  }

  private jobActor(jobId: string): JobActor | undefined {
    return this.sim.instance<JobActor>(this.sim.ref(CONTROL_PLANE, jobActorName(jobId)));
  }

  private process(node: string): TaskExecutorActor | undefined {
    return this.sim.instance<TaskExecutorActor>(this.sim.ref(node, TE_ACTOR));
  }

  /** The RC's availability of `teId` in words: Pending, Running(A-1-0), unknown, untracked; null = RC down. */
  availability(teId: string): { text: string; registered: boolean; inPool: boolean } | null {
    const rc = this.rc();
    if (rc === undefined) return null;
    const esm = rc.executorStates;
    const state = esm.states.get(teId);
    if (state === undefined) return { text: 'untracked', registered: false, inPool: false };
    return {
      text: describeAvailability(state.availability),
      registered: state.registered,
      inPool: esm.pool.has(teId) && state.isAvailable,
    };
  }

  private findWorker(label: string): WorkerRecord | null {
    const jobId = label.slice(0, label.indexOf('-'));
    const meta = this.jobs().get(jobId);
    if (meta === undefined) return null;
    for (const record of meta.all.values()) if (workerLabel(record.id) === label) return record;
    return null;
  }

  /** The worker whose output a connection to `host` carries: the task bound to the host's port. */
  private boundOn(node: string): WorkerId | null {
    return this.process(node)?.processView.currentTask ?? null;
  }

  private consumer(label: string): WorkerProcess | undefined {
    for (const { node } of this.cluster.executors) {
      const ref: ActorRef | null = this.process(node)?.processView.workerRef ?? null;
      if (ref === null) continue;
      const worker = this.sim.instance<WorkerProcess>(ref);
      if (worker !== undefined && workerLabel(worker.worker) === label) return worker;
    }
    return undefined;
  }

  evaluate(check: string, args: unknown): CheckVerdict {
    switch (check) {
      case 'rc': {
        const c = args as RcCheck;
        const registered = c.registered === undefined ? '' : c.registered ? 'registered' : 'not registered';
        const expected = `the RC holds ${c.rc}${c.is !== undefined ? ` as ${c.is}` : ''}${c.is !== undefined && registered !== '' ? ', ' : registered !== '' ? ' ' : ''}${registered}`;
        const held = this.availability(c.rc);
        if (held === null) return { holds: false, expected, actual: 'the control plane is down' };
        const actual = `the RC holds ${c.rc} as ${held.text}${held.registered ? ', registered' : ', not registered'}`;
        const holds =
          (c.is === undefined || held.text === c.is) &&
          (c.registered === undefined || c.registered === held.registered);
        return { holds, expected, actual };
      }
      case 'pool': {
        const c = args as PoolCheck;
        const expected = `${c.pool} is ${c.is ? '' : 'not '}in the available pool`;
        const held = this.availability(c.pool);
        if (held === null) return { holds: false, expected, actual: 'the control plane is down' };
        const actual = `${c.pool} is ${held.inPool ? '' : 'not '}in the available pool (the RC holds it as ${held.text})`;
        return { holds: held.inPool === c.is, expected, actual };
      }
      case 'worker': {
        const c = args as WorkerCheck;
        const expected = `worker ${c.worker} is ${c.is}${c.on !== undefined ? ` on ${c.on}` : ''}`;
        const record = this.findWorker(c.worker);
        const state = record?.state ?? 'absent';
        const on = record?.slaveID ?? null;
        const actual = `worker ${c.worker} is ${state}${on !== null ? ` on ${on}` : ''}`;
        const stateHolds = c.is === 'present' ? state !== 'absent' : state === c.is;
        return { holds: stateHolds && (c.on === undefined || c.on === on), expected, actual };
      }
      case 'job': {
        const c = args as JobCheck;
        const state = this.jobs().get(c.job)?.state ?? 'not submitted';
        return {
          holds: state === c.is,
          expected: `job ${c.job} is ${c.is}`,
          actual: `job ${c.job} is ${state}`,
        };
      }
      case 'task': {
        const c = args as TaskCheck;
        const process = this.process(c.task);
        const task = process === undefined ? 'down' : this.taskText(process.processView.currentTask);
        return {
          holds: task === c.is,
          expected: `${c.task} runs ${c.is}`,
          actual: `${c.task} runs ${task}${process?.processView.preparing != null ? ` (preparing ${workerLabel(process.processView.preparing)})` : ''}`,
        };
      }
      case 'reads': {
        const c = args as ReadsCheck;
        const consumer = this.consumer(c.reads);
        const connected = consumer?.endpoints.get(c.from)?.connected === true;
        const bound = connected ? this.boundOn(c.from) : null;
        const reads = bound === null ? 'nothing' : workerLabel(bound);
        return {
          holds: reads === c.is,
          expected: `${c.reads} reads ${c.is} from ${c.from}`,
          actual:
            consumer === undefined
              ? `${c.reads} is not running`
              : `${c.reads} reads ${reads} from ${c.from}${connected ? '' : ' (not connected)'}`,
        };
      }
      case 'pushed': {
        const c = args as PushedCheck;
        const expected = `job ${c.pushed}'s last push lists [${[...c.is].sort().join(', ')}] for stage ${c.stage}`;
        const actor = this.jobActor(c.pushed);
        if (actor === undefined) return { holds: false, expected, actual: `job ${c.pushed} has no JobActor` };
        const info = actor.lastPushed;
        if (info === null)
          return { holds: false, expected, actual: `job ${c.pushed} has pushed nothing yet` };
        const hosts = (info.stages.get(c.stage) ?? []).map((h) => h.host).sort();
        const wanted = [...c.is].sort();
        return {
          holds: hosts.length === wanted.length && hosts.every((h, i) => h === wanted[i]),
          expected,
          actual: `job ${c.pushed}'s last push (#${info.seq}) lists [${hosts.join(', ')}] for stage ${c.stage}`,
        };
      }
      default:
        throw new Error(`mantis: unknown check '${check}'`);
    }
  }

  private taskText(task: WorkerId | null): string {
    return task === null ? 'none' : workerLabel(task);
  }

  /** `run --json` state: the RC, the job store and JobActors, the TE processes, the consumers. */
  view(): Record<string, unknown> {
    const rc = this.rc();
    const teIds = [...new Set(this.cluster.executors.map((e) => e.teId))];
    const resourceCluster =
      rc === undefined
        ? null
        : {
            taskExecutors: Object.fromEntries(
              teIds.map((teId) => {
                const held = this.availability(teId);
                return [
                  teId,
                  { availability: held?.text, registered: held?.registered, inPool: held?.inPool },
                ];
              }),
            ),
            archived: [...rc.executorStates.archived.keys()].sort(),
            pendingWorkers: rc.pendingWorkers().map(workerLabel),
          };
    const jobs: Record<string, unknown> = {};
    for (const [jobId, meta] of this.jobs()) {
      const info = this.jobActor(jobId)?.lastPushed ?? null;
      jobs[jobId] = {
        state: meta.state,
        workers: Object.fromEntries(
          [...meta.all.values()].map((r) => [workerLabel(r.id), { state: r.state, te: r.slaveID }]),
        ),
        lastPush:
          info === null
            ? null
            : {
                seq: info.seq,
                stages: Object.fromEntries(
                  [...info.stages].map(([s, hosts]) => [String(s), hosts.map((h) => h.host)]),
                ),
              },
      };
    }
    const taskExecutors: Record<string, unknown> = {};
    const consumers: Record<string, unknown> = {};
    for (const { node } of this.cluster.executors) {
      const process = this.process(node);
      if (process === undefined) {
        taskExecutors[node] = { up: false };
        continue;
      }
      const p = process.processView;
      taskExecutors[node] = {
        up: true,
        incarnation: this.sim.incarnationOf(node),
        teId: p.teId,
        registered: p.registered,
        task: this.taskText(p.currentTask),
        preparing: p.preparing === null ? null : workerLabel(p.preparing),
      };
      const worker = p.workerRef === null ? undefined : this.sim.instance<WorkerProcess>(p.workerRef);
      if (worker === undefined || !worker.isConsumer) continue;
      consumers[workerLabel(worker.worker)] = Object.fromEntries(
        [...worker.endpoints].map(([host, endpoint]) => {
          const bound = endpoint.connected ? this.boundOn(host) : null;
          return [host, { connected: endpoint.connected, reads: bound === null ? null : workerLabel(bound) }];
        }),
      );
    }
    return {
      controlPlane: this.sim.isUp(CONTROL_PLANE) ? 'up' : 'down',
      resourceCluster,
      jobs,
      taskExecutors,
      consumers,
    };
  }
}
