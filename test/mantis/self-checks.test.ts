// The Mantis models check themselves: a message no handler takes, or a state-machine edge the
// model must never take, is an AssertionError (a clustersim bug, exit 70), never a finding.
import { describe, expect, it } from 'vitest';
import type { ActorRef } from '../../src/engine/index.js';
import { AssertionError, Simulation } from '../../src/engine/index.js';
import { ExecutorStateManager } from '../../src/systems/mantis/executor-state-manager.js';
import type { JobToRc, RcToTe } from '../../src/systems/mantis/messages.js';
import { TaskExecutorState } from '../../src/systems/mantis/task-executor-state.js';

describe('Mantis self-checks', () => {
  it('a TaskExecutorState never changes availability while unregistered', () => {
    const state = new TaskExecutorState();
    state.onRegistration({ teId: 'TE-1', address: 'TE-1', hostname: 'TE-1' }, 0);
    state.onHeartbeat({ kind: 'Available' }, 1);
    // Forced into a state the model never reaches: unregistered but Pending.
    state.state = 'Unregistered';
    expect(() =>
      state.onAssignment({ jobId: 'A', cluster: 'A', stage: 1, index: 0, number: 1, attempt: 1 }),
    ).toThrow(AssertionError);
  });

  it('the pool only ever holds TEs the state manager tracks', () => {
    const esm = new ExecutorStateManager();
    esm.pool.add('TE-9');
    expect(() => esm.findBestFitFor(null)).toThrow(AssertionError);
  });

  it('an actor handed a message it does not take fails with an AssertionError', async () => {
    const { ResourceClusterActor } = await import('../../src/systems/mantis/resource-cluster-actor.js');
    const sim = new Simulation({ seed: 1 }, ['control-plane']);
    let rc: InstanceType<typeof ResourceClusterActor> | undefined;
    sim.defineNode('control-plane', (node) =>
      node.spawn('resource-cluster', (ctx) => (rc = new ResourceClusterActor(ctx, {} as never))),
    );
    sim.startAll();
    const envelope = { from: 0 as ActorRef, fromNode: 'x', fromIncarnation: 0, sentAtUs: 0, stream: -1 };
    expect(() => rc?.onMessage({ type: 'NoSuchMessage' } as never, envelope)).toThrow(AssertionError);
  });

  it('typed refs: a message cannot be sent to an actor that does not take it (checked by tsc)', () => {
    const sim = new Simulation({ seed: 1 }, ['control-plane', 'TE-1']);
    const rc = sim.ref<JobToRc>('control-plane', 'resource-cluster');
    const te = sim.ref<RcToTe>('TE-1', 'task-executor');
    const cancel = {
      type: 'CancelTask' as const,
      worker: { jobId: 'A', cluster: 'A', stage: 1, index: 0, number: 1, attempt: 1 },
    };
    const send = (): void => {
      // @ts-expect-error CancelTask is a TE message, not one the RC takes from a job
      sim.send(te, rc, cancel);
      sim.send(rc, te, { type: 'HeartbeatAck' });
    };
    expect(send).toBeTypeOf('function');
  });
});
