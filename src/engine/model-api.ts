import type { Actor, ActorContext, ActorRef, Message, Simulation } from './simulation.js';

/**
 * What an actor of a model sees: send, schedule, draw from its own seeded streams, note, spawn
 * and stop itself — the engine's ActorContext without the whole simulation behind it.
 */
export interface ModelActorContext<M extends Message = Message> extends Omit<
  ActorContext<M>,
  'sim' | 'spawn'
> {
  /** Spawns another actor on this node at run time; it dies with the node. Names are unique per node. */
  spawn<N extends Message>(actorName: string, create: (ctx: ModelActorContext<N>) => Actor<N>): ActorRef<N>;
}

/** A node as it starts (first start and each restart): spawn its actors here. */
export interface ModelNodeHandle {
  readonly name: string;
  readonly incarnation: number;
  /** State that survives a crash of the node (a file on disk): the only thing that does. */
  readonly durable: Map<string, unknown>;
  spawn<M extends Message>(actorName: string, create: (ctx: ModelActorContext<M>) => Actor<M>): ActorRef<M>;
}

/**
 * The simulation as a system's `build` sees it: define nodes, name actors, and read (never
 * change) what the view and the actions need. Crashes, the network, the clock's advance and the
 * invariants are the runner's.
 */
export interface ModelSimulation extends Pick<
  Simulation,
  | 'ref'
  | 'existingRef'
  | 'instance'
  | 'isUp'
  | 'isPaused'
  | 'incarnationOf'
  | 'nodeOf'
  | 'actorName'
  | 'now'
  | 'note'
  | 'at'
  | 'watch'
  | 'sample'
> {
  /** Called on every start of the node to spawn its actors. */
  defineNode(name: string, factory: (node: ModelNodeHandle) => void): void;
}
