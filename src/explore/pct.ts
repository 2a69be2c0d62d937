import type { ActorRef, Message, Micros, Simulation, StreamSendResult } from '../engine/index.js';
import { msToUs } from '../engine/index.js';

/**
 * PCT for message passing (Burckhardt et al., "A Randomized Scheduler with Probabilistic
 * Guarantees of Finding Bugs", ASPLOS 2010; its message-passing form after Ozkan et al., PCTCP,
 * OOPSLA 2018), done with delivery delays so the engine's queue stays untouched:
 *
 * - every node gets a distinct random priority (a permutation drawn from the seed);
 * - a cross-node message (plain or on a stream) from a node of rank r (0 = highest) is delivered
 *   r × window later, so
 *   among messages sent within a window of each other the higher-priority sender's go first;
 * - d − 1 change points are drawn uniformly among the first `messagesExpected` cross-node sends;
 *   at the i-th change point the sending node drops below every other priority.
 *
 * All draws come from the run's seeded streams (`pct/…`), so a PCT run replays like any other.
 */
export interface PctOptions {
  /** Bug depth d: d − 1 priority change points. */
  readonly depth: number;
  /** Cross-node sends in a typical run (k in the bound); change points are drawn in [1, k]. */
  readonly messagesExpected: number;
  /** Delay step between adjacent priorities. @defaultValue 10 ms (the default latency spread) */
  readonly windowMs?: number;
}

export function installPct(sim: Simulation, options: PctOptions): void {
  const nodes = sim.nodeNames();
  const rank = new Int32Array(nodes.length);
  const order = sim.random.stream('pct/priorities').shuffle(nodes.map((_, i) => i));
  order.forEach((node, position) => (rank[node] = position));
  const changeRng = sim.random.stream('pct/change-points');
  const changePoints = new Set<number>();
  const steps = Math.max(1, Math.floor(options.messagesExpected));
  for (let i = 0; i < options.depth - 1; i++) changePoints.add(changeRng.intInclusive(1, steps));
  const windowUs: Micros = msToUs(options.windowMs ?? 10);
  let lowest = nodes.length;
  let sends = 0;
  const nodeOfActor = new Map<number, number>();
  const nodeIndexOf = (ref: ActorRef): number => {
    let index = nodeOfActor.get(ref);
    if (index === undefined) {
      index = sim.nodeIndex(sim.nodeOf(ref));
      nodeOfActor.set(ref, index);
    }
    return index;
  };
  // The sender whose message is being timed now; the latency model adds its priority delay.
  let senderNode = -1;
  const delayUs = sim.latency.delayUs.bind(sim.latency);
  sim.latency.delayUs = (): Micros =>
    delayUs() + (senderNode >= 0 ? (rank[senderNode] as number) * windowUs : 0);
  const beforeSend = (fromNode: number): void => {
    sends++;
    if (changePoints.has(sends)) rank[fromNode] = lowest++;
    senderNode = fromNode;
  };
  // Interposes on the public send paths (actors call `sim.send` / `sim.streamSend`); a stream
  // stays in order because the engine never lets a stream overtake itself.
  const send = sim.send.bind(sim);
  sim.send = (from: ActorRef, to: ActorRef, message: Message, extraDelayUs: Micros = 0): void => {
    const fromNode = nodeIndexOf(from);
    if (fromNode === nodeIndexOf(to)) return send(from, to, message, extraDelayUs);
    beforeSend(fromNode);
    try {
      send(from, to, message, extraDelayUs);
    } finally {
      senderNode = -1;
    }
  };
  const streamSend = sim.streamSend.bind(sim);
  sim.streamSend = (id: number, from: ActorRef, message: Message): StreamSendResult => {
    beforeSend(nodeIndexOf(from));
    try {
      return streamSend(id, from, message);
    } finally {
      senderNode = -1;
    }
  };
}
