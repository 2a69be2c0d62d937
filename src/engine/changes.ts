import type { ActorRef } from './simulation.js';

/**
 * Which watched actors may have changed their own state since a view last looked: the engine
 * flags an actor when one of its handlers runs, when it is spawned and when it dies (crash,
 * stop). A scenario callback (a timeline step that may touch any actor, e.g. a graceful shutdown)
 * flags everything. A view reads `all` and `refs`, recomputes what they touch, then `clear`s.
 *
 * One consumer per watch (a system's view): `clear` forgets for everyone. Made with
 * `Simulation.watch`, which decides membership by actor name when a ref is first made, so actors
 * spawned at run time (a job, a worker process) join the watches their name matches.
 */
export class ChangeWatch {
  /** Anything may have changed (first look, or a scenario callback ran): recompute everything. */
  all = true;
  private readonly changed: ActorRef[] = [];
  private readonly flagged: boolean[] = [];

  /** Actors flagged since the last `clear`, each once, in the order they first ran. */
  get refs(): readonly ActorRef[] {
    return this.changed;
  }

  /** True when `all` is set or any watched actor was flagged. */
  get dirty(): boolean {
    return this.all || this.changed.length > 0;
  }

  /** @internal The engine: `ref` ran a handler, was spawned or died. */
  mark(ref: number): void {
    if (this.flagged[ref] === true) return;
    this.flagged[ref] = true;
    this.changed.push(ref as ActorRef);
  }

  /** Something outside any handler may have changed state (a scenario step, a ground-truth write). */
  markAll(): void {
    this.all = true;
  }

  clear(): void {
    this.all = false;
    const changed = this.changed;
    // pop, not `length = 0`: truncating an array is a runtime call, and this runs after most events.
    while (changed.length > 0) this.flagged[changed.pop() as number] = false;
  }
}

/** Which actors a watch covers: decided once per actor ref, from its node and actor name. */
export type WatchMatch = (node: string, actorName: string) => boolean;
