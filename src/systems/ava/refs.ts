import type { ActorRef, Message, Simulation } from '../../engine/index.js';

declare const inbox: unique symbol;

/**
 * An actor reference that knows what its actor takes: `post` to a `Ref<EngineInbox>` only
 * compiles with an EngineInbox message, so a message cannot go to an actor that has no case
 * for it. The brand is compile-time only; at run time it is the engine's ActorRef.
 */
export type Ref<M extends Message> = ActorRef & { readonly [inbox]: M };

/** The one place an engine ref is given its inbox type: where the actor it names is defined. */
export function typedRef<M extends Message>(ref: ActorRef): Ref<M> {
  return ref as Ref<M>;
}

/** `sim.send` through a typed reference (the message type is taken from `to`, not inferred from the message). */
export function post<M extends Message>(
  sim: Simulation,
  from: ActorRef,
  to: Ref<M>,
  message: NoInfer<M>,
): void {
  sim.send(from, to, message);
}
