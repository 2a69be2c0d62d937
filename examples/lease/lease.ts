// A lease-based control plane, built only on clustersim's public API: a coordinator grants one
// lease to a worker that heartbeats; the holder writes to a store with its lease's token, and the
// store fences (refuses a token older than the newest it has seen). A worker that restarts
// re-registers under its old id, and the coordinator re-grants it the lease it still holds.
//   reuse:   the re-grant hands back the holder's old token (leases keyed by worker id), so a
//            write the dead incarnation sent before the crash still passes the fence.
//   fencing: every grant, a re-grant too, carries a fresh token: the late write is refused.
import { defineSystem, z } from 'clustersim';
import type { Actor, ActorRef, Envelope, ModelActorContext } from 'clustersim/engine';
import { msToUs } from 'clustersim/engine';

type Msg =
  | { type: 'Register' }
  | { type: 'Heartbeat' }
  | { type: 'Grant'; token: number }
  | { type: 'Write'; token: number; seq: number }
  | { type: 'beat-due' }
  | { type: 'write-due' };

interface Setup {
  readonly variant: string;
  readonly ttlUs: number;
  readonly heartbeatUs: number;
  readonly writeEveryUs: number;
}

/** Grants the lease; `holder` is keyed by worker id, as a registry of workers would be. */
class Coordinator implements Actor<Msg> {
  holder: { worker: string; token: number; expiresUs: number } | null = null;
  private nextToken = 1;
  constructor(
    private readonly ctx: ModelActorContext<Msg>,
    private readonly setup: Setup,
  ) {}

  onMessage(message: Msg, env: Envelope): void {
    const worker = env.fromNode;
    const now = this.ctx.now();
    const held = this.holder !== null && this.holder.expiresUs > now;
    if (message.type === 'Register' && held && this.holder?.worker === worker) {
      // The holder came back under its old id while its lease still runs: re-grant it.
      const token = this.setup.variant === 'fencing' ? this.nextToken++ : this.holder.token;
      this.grant(worker, token, env.from);
    } else if (message.type === 'Register' || message.type === 'Heartbeat') {
      if (held && this.holder?.worker === worker) this.holder.expiresUs = now + this.setup.ttlUs;
      else if (!held) this.grant(worker, this.nextToken++, env.from);
    }
  }

  private grant(worker: string, token: number, to: ActorRef): void {
    this.holder = { worker, token, expiresUs: this.ctx.now() + this.setup.ttlUs };
    this.ctx.note('grant', `lease to ${worker} with token ${token}`, { worker });
    this.ctx.send(to as ActorRef<Msg>, { type: 'Grant', token });
  }
}

/** Registers on every start, heartbeats, and writes while it holds a token. */
class Worker implements Actor<Msg> {
  private token: number | null = null;
  private seq = 0;
  constructor(
    private readonly ctx: ModelActorContext<Msg>,
    private readonly coordinator: ActorRef<Msg>,
    private readonly store: ActorRef<Msg>,
    private readonly setup: Setup,
  ) {}

  onStart(): void {
    this.ctx.send(this.coordinator, { type: 'Register' });
    this.ctx.every(this.setup.heartbeatUs, { type: 'beat-due' });
    this.ctx.every(this.setup.writeEveryUs, { type: 'write-due' });
  }

  onMessage(message: Msg): void {
    if (message.type === 'Grant') this.token = message.token;
    else if (message.type === 'beat-due') this.ctx.send(this.coordinator, { type: 'Heartbeat' });
    else if (message.type === 'write-due' && this.token !== null)
      this.ctx.send(this.store, { type: 'Write', token: this.token, seq: ++this.seq });
  }
}

/** Applies writes whose token is not older than the newest it has seen (the fence). */
class Store implements Actor<Msg> {
  private newestToken = 0;
  /** Ground truth for the invariant only (a real store cannot see incarnations): never read to decide. */
  readonly newestIncarnation = new Map<string, number>();
  zombie: string | null = null;
  constructor(private readonly ctx: ModelActorContext<Msg>) {}

  onMessage(message: Msg, env: Envelope): void {
    if (message.type !== 'Write') return;
    if (message.token < this.newestToken) {
      this.ctx.note('fenced', `refused ${env.fromNode}'s write with token ${message.token}`);
      return;
    }
    this.newestToken = message.token;
    const newest = this.newestIncarnation.get(env.fromNode) ?? -1;
    if (env.fromIncarnation < newest && this.zombie === null)
      this.zombie = `applied a write of ${env.fromNode}#${env.fromIncarnation} after one of ${env.fromNode}#${newest}`;
    this.newestIncarnation.set(env.fromNode, Math.max(newest, env.fromIncarnation));
  }
}

interface View {
  store(): Store | undefined;
}

export default defineSystem({
  id: 'lease',
  meaning: 'example: a coordinator leases one resource to heartbeating workers; a store fences writes',
  controlPlaneNode: 'coordinator',
  defaultVariant: 'reuse',
  variants: [
    { id: 'reuse', meaning: 'a re-registered holder gets its old token back (the bug)' },
    { id: 'fencing', meaning: 'every grant carries a fresh token (the fix)' },
  ],
  invariants: [
    {
      id: 'no-zombie-write',
      kind: 'safety',
      meaning: 'the store never applies a write of a dead incarnation after one of its successor',
      check: (view: View) => {
        const zombie = view.store()?.zombie ?? null;
        return zombie === null ? null : { message: zombie };
      },
    },
  ],
  config: [
    {
      key: 'leaseTtl',
      kind: 'duration',
      default: 5000,
      min: 1,
      meaning: 'how long a grant lasts without a heartbeat',
    },
    { key: 'heartbeat', kind: 'duration', default: 1000, min: 1, meaning: 'worker heartbeat period' },
    { key: 'writeEvery', kind: 'duration', default: 100, min: 1, meaning: 'write period of the holder' },
  ],
  clusterSchema: z
    .strictObject({ workers: z.number().int().min(1).max(20) })
    .transform((c) => ({ workers: Array.from({ length: c.workers }, (_, i) => `w${i + 1}`) })),
  nodes: (cluster) => ['coordinator', 'store', ...cluster.workers],
  faultTargets: (cluster) => cluster.workers,
  shrinkCluster: (source) => {
    const workers = (source as { workers?: unknown }).workers;
    return typeof workers === 'number' && workers > 1 ? [{ workers: workers - 1 }] : [];
  },
  build: (sim, { cluster, config, variant }) => {
    const setup: Setup = {
      variant,
      ttlUs: msToUs(config.leaseTtl as number),
      heartbeatUs: msToUs(config.heartbeat as number),
      writeEveryUs: msToUs(config.writeEvery as number),
    };
    const coordinator = sim.ref<Msg>('coordinator', 'coordinator');
    const store = sim.ref<Msg>('store', 'store');
    sim.defineNode('coordinator', (node) =>
      node.spawn<Msg>('coordinator', (ctx) => new Coordinator(ctx, setup)),
    );
    sim.defineNode('store', (node) => node.spawn<Msg>('store', (ctx) => new Store(ctx)));
    for (const worker of cluster.workers)
      sim.defineNode(worker, (node) =>
        node.spawn<Msg>('worker', (ctx) => new Worker(ctx, coordinator, store, setup)),
      );
    return {
      view: { store: () => sim.instance<Store>(store) },
      applyAction: () => undefined,
      metrics: () => ({ holder: sim.instance<Coordinator>(coordinator)?.holder?.worker ?? null }),
    };
  },
});
