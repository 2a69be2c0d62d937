import type {
  Actor,
  ActorContext,
  ActorRef,
  Envelope,
  Message,
  SimulationOptions,
} from '../../src/engine/index.js';
import { Simulation } from '../../src/engine/index.js';

/** What a recording actor saw: one entry per handled message or timer. */
export interface Seen {
  readonly atUs: number;
  readonly type: string;
  readonly message: Message & Record<string, unknown>;
  readonly fromNode: string;
  readonly fromIncarnation: number;
  readonly sentAtUs: number;
  readonly stream: number;
}

/** Fixed 5 ms latency unless a test asks otherwise, so arrival times are exact. */
export const FIXED_LATENCY_US = 5_000;

export function makeSim(nodes: readonly string[], options: Partial<SimulationOptions> = {}): Simulation {
  return new Simulation(
    { seed: 1, network: { latencyUs: [FIXED_LATENCY_US, FIXED_LATENCY_US] }, ...options },
    nodes,
  );
}

/**
 * Defines `node` with one actor `name` that records everything it handles into `log` and hands
 * each message to `react` (for tests that need the actor to act).
 */
export function recorder(
  sim: Simulation,
  node: string,
  name: string,
  log: Seen[],
  react?: (ctx: ActorContext, message: Message & Record<string, unknown>) => void,
  onStart?: (ctx: ActorContext) => void,
): ActorRef {
  sim.defineNode(node, (handle) => {
    handle.spawn(name, (ctx: ActorContext): Actor => ({
      onStart: () => onStart?.(ctx),
      onMessage: (message: Message, env: Readonly<Envelope>) => {
        const m = message as Message & Record<string, unknown>;
        log.push({
          atUs: sim.now(),
          type: m.type,
          message: m,
          fromNode: env.fromNode,
          fromIncarnation: env.fromIncarnation,
          sentAtUs: env.sentAtUs,
          stream: env.stream,
        });
        react?.(ctx, m);
      },
    }));
  });
  return sim.ref(node, name);
}

/** The context of a live actor, for tests that act on its behalf from `sim.at` callbacks. */
export function contextOf(sim: Simulation, ref: ActorRef): ActorContext {
  const captured = contexts.get(sim)?.get(ref);
  if (captured === undefined) throw new Error(`no captured context for actor ${ref}`);
  return captured;
}

const contexts = new WeakMap<Simulation, Map<ActorRef, ActorContext>>();

/** An actor that does nothing but keep its context reachable through `contextOf`. */
export function puppet(sim: Simulation, node: string, name: string, log: Seen[] = []): ActorRef {
  return recorder(sim, node, name, log, undefined, (ctx) => {
    let map = contexts.get(sim);
    if (map === undefined) {
      map = new Map();
      contexts.set(sim, map);
    }
    map.set(ctx.ref, ctx);
  });
}

export function types(log: readonly Seen[]): string[] {
  return log.map((s) => s.type);
}
