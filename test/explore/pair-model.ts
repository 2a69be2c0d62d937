// A test-only system for the explorer: a hub and N workers; the safety invariant breaks when
// w1 and w2 are down at the same time. Small enough that shrinking has one right answer.
import { z } from 'zod';
import type { Actor, ActorRef, Message, Simulation } from '../../src/engine/index.js';
import type { SystemModel } from '../../src/systems/system-model.js';

export interface PairCluster {
  readonly workers: readonly string[];
}

const clusterSchema = z
  .strictObject({ workers: z.number().int().min(2).max(20) })
  .transform((c): PairCluster => ({ workers: Array.from({ length: c.workers }, (_, i) => `w${i + 1}`) }));

type PairMsg = { type: 'beat-due' } | { type: 'Beat' };

/** The view the invariant reads: which worker processes are up. */
interface PairView {
  readonly sim: Simulation;
}

export const pairModel: SystemModel<PairCluster, PairView> = {
  id: 'pairs',
  meaning: 'test-only: breaks when w1 and w2 are down together',
  controlPlaneNode: 'hub',
  defaultVariant: 'plain',
  variants: [{ id: 'plain', meaning: 'as written' }],
  invariants: [
    {
      id: 'pair-up',
      kind: 'safety',
      meaning: 'w1 or w2 is up',
      check: ({ sim }) => (sim.isUp('w1') || sim.isUp('w2') ? null : { message: 'w1 and w2 are both down' }),
    },
  ],
  config: [
    { key: 'beatInterval', kind: 'duration', default: 1000, min: 10, meaning: 'worker heartbeat period' },
  ],
  actions: [],
  clusterSchema: clusterSchema as unknown as z.ZodType<PairCluster>,
  checkVariant: (variant) => (variant === 'plain' ? null : `unknown variant '${variant}' (allowed: plain)`),
  nodes: (cluster) => ['hub', ...cluster.workers],
  faultTargets: (cluster) => cluster.workers,
  build: (sim, setup) => {
    const hub = sim.ref('hub', 'hub');
    let beats = 0;
    sim.defineNode('hub', (node) =>
      node.spawn<PairMsg>('hub', (): Actor<PairMsg> => ({ onMessage: () => void beats++ })),
    );
    for (const worker of setup.cluster.workers) {
      sim.defineNode(worker, (node) =>
        node.spawn<PairMsg>('agent', (ctx): Actor<PairMsg> => ({
          onStart: () => void ctx.every((setup.config.beatInterval as number) * 1000, { type: 'beat-due' }),
          onMessage: () => ctx.send(hub as ActorRef, { type: 'Beat' } as Message),
        })),
      );
    }
    return { view: { sim }, applyAction: () => undefined, metrics: () => ({ beats, reconnections: 2 }) };
  },
};

export const PAIR_FUZZ = `name: pairs-fuzz
system: pairs
duration: 10m
cluster: { workers: 4 }
timeline:
  - at: 5s
    partition: [w3]
  - at: 7s
    heal: all
faults:
  crash: { every: 40s, restartAfter: [5s, 60s] }
  pause: { every: 2m, for: [1s, 5s] }
  messageDelay: [0ms, 20ms]
  swarm: true
`;
