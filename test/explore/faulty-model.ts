// A test-only system whose model has a bug on purpose: variant `buggy` throws an AssertionError
// (a clustersim bug, never a finding) on every seed divisible by 3; variant `fragile` fails an
// assertion at 15 s when w1 alone of w1..w3 is down, which only a shrink candidate without the
// `crash: w3` step reaches (the full run and the shrunk result do not). The invariant
// `pair-up` breaks when w1 and w2 are down together, as in pair-model.ts.
import { z } from 'zod';
import type { Actor, ActorRef, Message, Simulation } from '../../src/engine/index.js';
import { AssertionError } from '../../src/engine/index.js';
import type { SystemModel } from '../../src/systems/system-model.js';

interface FaultyCluster {
  readonly workers: readonly string[];
}

const clusterSchema = z
  .strictObject({ workers: z.number().int().min(2).max(20) })
  .transform((c): FaultyCluster => ({ workers: Array.from({ length: c.workers }, (_, i) => `w${i + 1}`) }));

type Msg = { type: 'beat-due' } | { type: 'Beat' };

export const faultyModel: SystemModel<FaultyCluster, Simulation> = {
  id: 'faulty',
  meaning: 'test-only: a model with a bug on purpose',
  controlPlaneNode: 'hub',
  defaultVariant: 'plain',
  variants: [
    { id: 'plain', meaning: 'no bug' },
    { id: 'buggy', meaning: 'throws an AssertionError on seeds divisible by 3' },
    { id: 'fragile', meaning: 'fails an assertion at 15 s when w1 alone is down' },
  ],
  invariants: [
    {
      id: 'pair-up',
      kind: 'safety',
      meaning: 'w1 or w2 is up',
      check: (sim) => (sim.isUp('w1') || sim.isUp('w2') ? null : { message: 'w1 and w2 are both down' }),
    },
  ],
  config: [],
  actions: [],
  clusterSchema: clusterSchema as unknown as z.ZodType<FaultyCluster>,
  checkVariant: (variant) =>
    ['plain', 'buggy', 'fragile'].includes(variant)
      ? null
      : `unknown variant '${variant}' (allowed: plain, buggy, fragile)`,
  nodes: (cluster) => ['hub', ...cluster.workers],
  faultTargets: (cluster) => cluster.workers,
  build: (sim, setup) => {
    const hub = sim.ref('hub', 'hub');
    sim.defineNode('hub', (node) =>
      node.spawn<Msg>('hub', (): Actor<Msg> => ({ onMessage: () => undefined })),
    );
    for (const worker of setup.cluster.workers) {
      sim.defineNode(worker, (node) =>
        node.spawn<Msg>('agent', (ctx): Actor<Msg> => ({
          onStart: () => void ctx.every(1_000_000, { type: 'beat-due' }),
          onMessage: () => ctx.send(hub as ActorRef, { type: 'Beat' } as Message),
        })),
      );
    }
    if (setup.variant === 'buggy' && setup.seed % 3 === 0)
      sim.at(1_000_000, () => {
        throw new AssertionError('assertion failed: the model is buggy on this seed');
      });
    if (setup.variant === 'fragile')
      sim.at(15_000_000, () => {
        if (!sim.isUp('w1') && sim.isUp('w2') && sim.isUp('w3'))
          throw new AssertionError('assertion failed: w1 is not down alone at 15 s');
      });
    return { view: sim, applyAction: () => undefined, metrics: () => ({}) };
  },
};

/** Crashes and restarts at random: pair-up breaks on some seeds. */
export const FAULTY_FUZZ = `name: faulty-fuzz
system: faulty
duration: 5m
cluster: { workers: 3 }
faults:
  crash: { every: 30s, restartAfter: [5s, 60s] }
`;

/** w3, then w1 and w2 go down: pair-up breaks at 20 s; `fragile` needs the w3 crash. */
export const FAULTY_REPRO = `name: faulty-repro
system: faulty
variant: fragile
duration: 1m
cluster: { workers: 3 }
timeline:
  - at: 5s
    crash: w3
  - at: 10s
    crash: w1
  - at: 20s
    crash: w2
expect:
  fragile: [pair-up]
`;
