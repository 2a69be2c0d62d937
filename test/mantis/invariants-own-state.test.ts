// Each Mantis safety invariant reads the actors' own state (through MantisView), not a copy the
// actors push: breaking that state directly, with no actor reporting anything, must make the
// invariant fire at that very event. On a checker fed by hooks none of these would fire.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Simulation } from '../../src/engine/index.js';
import { msToUs } from '../../src/engine/index.js';
import { runPlan } from '../../src/run/run-plan.js';
import { compilePlan } from '../../src/scenario/compile.js';
import { parseScenario } from '../../src/scenario/load.js';
import type { WorkerId } from '../../src/systems/mantis/ids.js';
import type { MantisInstance } from '../../src/systems/mantis/index.js';
import { buildMantis, mantisModel } from '../../src/systems/mantis/index.js';
import type { JobActor } from '../../src/systems/mantis/job-actor.js';
import type { ResourceClusterActor } from '../../src/systems/mantis/resource-cluster-actor.js';
import type { TaskExecutorActor } from '../../src/systems/mantis/task-executor.js';
import { registerSystemForTests } from '../../src/systems/registry.js';
import type { SystemModel } from '../../src/systems/system-model.js';

/** A healthy world: A (2 stages) on TE-1, TE-2; B on TE-3; TE-4 idle in the pool. */
const HEALTHY = `name: own-state
system: mantis-probe
duration: 3m
cluster:
  executors: 4
  jobs:
    - { id: A, stages: [1, 1], placement: [[TE-1], [TE-2]] }
    - { id: B, stages: [1], placement: [[TE-3]] }
`;
const BREAK_AT_MS = 90_000;

let captured: MantisInstance | undefined;
let unregister: () => void = () => undefined;

beforeEach(() => {
  const probe: SystemModel<never, never> = {
    ...(mantisModel as unknown as SystemModel<never, never>),
    id: 'mantis-probe',
    build: (sim, setup) => (captured = buildMantis(sim, setup as never)) as never,
  };
  unregister = registerSystemForTests(probe);
});
afterEach(() => unregister());

interface World {
  readonly instance: MantisInstance;
  readonly sim: Simulation;
  rc(): ResourceClusterActor;
  te(node: string): TaskExecutorActor;
  job(id: string): JobActor;
}

/** Runs HEALTHY; at BREAK_AT_MS runs `mutate` on the actors' state. Returns each invariant's first episode start (ms). */
function run(mutate?: (world: World) => void): Map<string, number> {
  const starts = new Map<string, number>();
  const plan = compilePlan(parseScenario(HEALTHY, 'own-state.yaml'));
  runPlan(plan, {
    instrument: (sim) => {
      sim.addViolationListener((id, _detail, atUs) => {
        if (!starts.has(id)) starts.set(id, atUs / 1000);
      });
      if (mutate === undefined) return;
      sim.at(msToUs(BREAK_AT_MS), () => {
        const live = <A>(node: string, actor: string): A => {
          const found = sim.instance<A>(sim.ref(node, actor));
          if (found === undefined) throw new Error(`${actor} on ${node} is not running`);
          return found;
        };
        mutate({
          instance: captured as MantisInstance,
          sim,
          rc: () => live<ResourceClusterActor>('control-plane', 'resource-cluster'),
          te: (node) => live<TaskExecutorActor>(node, 'task-executor'),
          job: (id) => live<JobActor>('control-plane', `job-${id}`),
        });
      });
    },
  });
  return starts;
}

const taskOf = (world: World, node: string): WorkerId => {
  const task = world.te(node).currentTask;
  if (task === null) throw new Error(`${node} runs nothing`);
  return task;
};

const SAFETY = [
  'no-foreign-read',
  'no-foreign-advertisement',
  'one-worker-per-executor',
  'one-live-copy-per-slot',
  'rc-job-consistency',
];

describe('Mantis safety invariants read the actors own state', () => {
  it('hold on the healthy world left alone (so each break below is what fires them)', () => {
    const starts = run();
    expect(SAFETY.filter((id) => starts.has(id))).toEqual([]);
  });

  it('no-foreign-read fires when a live connection of the data plane reaches another job', () => {
    const starts = run((world) => {
      const consumerTe = world.te('TE-2');
      // A's stage-2 consumer dials TE-3, which serves B-1-0.
      world.instance.env.truth.dataPlane.connect(
        consumerTe.workerRef as NonNullable<typeof consumerTe.workerRef>,
        taskOf(world, 'TE-2'),
        'TE-2',
        'TE-3',
      );
    });
    expect(starts.get('no-foreign-read')).toBe(BREAK_AT_MS);
  });

  it("no-foreign-advertisement fires when a JobActor's last push names a host running another job", () => {
    const starts = run((world) => {
      const jobA = world.job('A');
      const pushed = jobA.lastPushed;
      if (pushed === null) throw new Error('A has not pushed yet');
      const b = taskOf(world, 'TE-3');
      jobA.lastPushed = {
        ...pushed,
        stages: new Map([...pushed.stages, [1, [{ host: 'TE-3', teId: 'TE-3', worker: b }]]]),
      };
    });
    expect(starts.get('no-foreign-advertisement')).toBe(BREAK_AT_MS);
  });

  it("one-worker-per-executor fires when the RC's TaskExecutorState holds a worker another TE holds", () => {
    const starts = run((world) => {
      const state = world.rc().esm.states.get('TE-4');
      if (state === undefined) throw new Error('TE-4 is not tracked');
      state.availability = { kind: 'Running', worker: taskOf(world, 'TE-1') };
    });
    expect(starts.get('one-worker-per-executor')).toBe(BREAK_AT_MS);
  });

  it('one-worker-per-executor fires when a pooled TE process runs a task', () => {
    const starts = run((world) => {
      world.te('TE-4').currentTask = { jobId: 'Z', cluster: 'Z', stage: 1, index: 0, number: 99, attempt: 1 };
    });
    expect(starts.get('one-worker-per-executor')).toBe(BREAK_AT_MS);
  });

  it('one-live-copy-per-slot fires when a second TE process runs a copy of a slot', () => {
    const starts = run((world) => {
      world.te('TE-4').currentTask = { ...taskOf(world, 'TE-1') };
    });
    expect(starts.get('one-live-copy-per-slot')).toBe(BREAK_AT_MS);
  });

  it('rc-job-consistency fires when the job store fails a worker the RC still runs, with no cancel in flight', () => {
    const starts = run((world) => {
      const w = taskOf(world, 'TE-1');
      const record = world.job('A').meta.all.get(w.number);
      if (record === undefined) throw new Error('no record');
      record.state = 'Failed';
    });
    expect(starts.get('rc-job-consistency')).toBe(BREAK_AT_MS);
  });
});
