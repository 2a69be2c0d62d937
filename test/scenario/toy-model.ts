// A tiny test-only system: a hub and N workers that heartbeat it. Exercises every part of the
// SystemModel interface the loader, compiler, writers and reports use, without Mantis or Ava.
import { z } from 'zod';
import type { Actor, ActorContext, ActorRef, Message, Simulation } from '../../src/engine/index.js';
import { msToUs } from '../../src/engine/index.js';
import type { PlanStep, SystemModel } from '../../src/systems/system-model.js';

export interface ToyCluster {
  readonly workers: readonly string[];
}

const clusterSchema = z
  .strictObject({
    workers: z
      .union([z.number().int().min(1).max(50), z.array(z.string().regex(/^w[0-9]+$/)).min(1)])
      .optional(),
  })
  .transform((c): ToyCluster => {
    const w = c.workers ?? 2;
    return { workers: typeof w === 'number' ? Array.from({ length: w }, (_, i) => `w${i + 1}`) : w };
  });

type ToyMsg = { type: 'beat-due' } | { type: 'Beat'; from: string } | { type: 'Ping' };

/** What the toy's invariants read: the processes, and when the hub (its own state) heard each. */
interface ToyView {
  readonly sim: Simulation;
  readonly workers: readonly string[];
  readonly strict: boolean;
  readonly lastHeard: ReadonlyMap<string, number>;
}

export const toyModel: SystemModel<ToyCluster, ToyView> = {
  id: 'toy',
  meaning: 'test-only hub with heartbeating workers',
  controlPlaneNode: 'hub',
  defaultVariant: 'plain',
  variants: [
    { id: 'plain', meaning: 'as written' },
    { id: 'strict', meaning: 'also judges liveness' },
  ],
  invariants: [
    {
      id: 'all-workers-up',
      kind: 'safety',
      meaning: 'every worker process is up',
      check: ({ sim, workers }) => {
        const down = workers.filter((w) => !sim.isUp(w));
        return down.length === 0
          ? null
          : { message: `worker ${down.join(', ')} is down`, entities: { worker: down[0] as string } };
      },
    },
    {
      id: 'hub-heard-everyone',
      kind: 'liveness',
      meaning: 'the hub heard every worker in the last 5 s (strict only)',
      judge: ({ workers, strict, lastHeard }, endUs) => {
        if (!strict) return null;
        const silent = workers.filter((w) => (lastHeard.get(w) ?? -1) < endUs - 5_000_000);
        return silent.length === 0 ? null : { message: `the hub has not heard ${silent.join(', ')} lately` };
      },
    },
  ],
  config: [
    { key: 'beatInterval', kind: 'duration', default: 1000, min: 10, meaning: 'worker heartbeat period' },
    { key: 'retries', kind: 'integer', default: 3, min: 0, max: 10, meaning: 'retries' },
    { key: 'ratio', kind: 'number', default: 0.5, meaning: 'a ratio' },
    { key: 'eager', kind: 'boolean', default: false, meaning: 'a switch' },
    { key: 'mode', kind: 'enum', default: 'fast', values: ['fast', 'slow'], meaning: 'an enum' },
  ],
  actions: [
    {
      name: 'ping',
      meaning: 'the hub pings a worker',
      schema: z.strictObject({ node: z.string(), times: z.number().int().min(1).default(1) }),
      example: 'ping: { node: w1, times: 2 }',
    },
    { name: 'sever', meaning: 'drops a worker link (drop fault)', schema: z.string(), example: 'sever: w1' },
    { name: 'mend', meaning: 'mends a worker link', schema: z.string(), example: 'mend: w1' },
  ],
  clusterSchema: clusterSchema as unknown as z.ZodType<ToyCluster>,
  checkVariant: (variant) =>
    ['plain', 'strict'].includes(variant) ? null : `unknown variant '${variant}' (allowed: plain, strict)`,
  nodes: (cluster) => ['hub', ...cluster.workers],
  faultTargets: (cluster) => cluster.workers,
  checkAction: (action, args, cluster) => {
    if (action === 'ping') {
      const node = (args as { node: string }).node;
      if (!cluster.workers.includes(node))
        return `unknown worker '${node}' (allowed: ${cluster.workers.join(', ')})`;
    }
    return null;
  },
  dropSteps: (target: string, atMs: number, reconnectAfterMs: number | null): PlanStep[] => [
    { atMs, action: 'sever', args: target },
    ...(reconnectAfterMs === null ? [] : [{ atMs: atMs + reconnectAfterMs, action: 'mend', args: target }]),
  ],
  build: (sim, setup) => {
    const hub = sim.ref('hub', 'hub');
    const lastHeard = new Map<string, number>();
    const beatUs = msToUs(setup.config.beatInterval as number);
    sim.defineNode('hub', (node) =>
      node.spawn<ToyMsg>('hub', (ctx): Actor<ToyMsg> => ({
        onMessage: (msg) => {
          if (msg.type === 'Beat') lastHeard.set(msg.from, ctx.now());
        },
      })),
    );
    for (const worker of setup.cluster.workers) {
      sim.defineNode(worker, (node) =>
        node.spawn<ToyMsg>('agent', (ctx: ActorContext<ToyMsg>): Actor<ToyMsg> => ({
          onStart: () => {
            ctx.note('registration', `${worker} starts (incarnation ${ctx.incarnation})`, { worker });
            ctx.note('span-begin', 'serving', { track: 'worker', span: `serving #${ctx.incarnation}` });
            ctx.every(beatUs, { type: 'beat-due' });
          },
          onMessage: (msg) => {
            if (msg.type === 'beat-due') ctx.send(hub as ActorRef, { type: 'Beat', from: worker } as Message);
          },
        })),
      );
    }
    return {
      view: { sim, workers: setup.cluster.workers, strict: setup.variant === 'strict', lastHeard },
      applyAction: (action, args) => sim.note('hub', 'action', `${action} ${JSON.stringify(args)}`),
      metrics: () => ({ toy: { workers: setup.cluster.workers.length } }),
    };
  },
};
