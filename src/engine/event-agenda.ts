import type { Micros } from './time.js';

/**
 * What a queue's user knows about an event's memory, for cache warming. Both only load: they
 * never change anything observable. Only the tuned queue (event-queue.ts) uses it.
 */
export interface CacheWarmer<O> {
  /** The owner an ownerless event (a delivery) will run against, found by its target. */
  ownerFor(target: number): O | undefined;
  /** Loads what an event of this owner touches: at depth 0 the owner itself, at 1 what it points to. */
  touch(owner: O, depth: number): number;
}

/**
 * The engine's agenda: the seam between the simulation and a queue backend. Its semantics are
 * the plain queue's (plain-event-queue.ts, a 4-ary heap a reader can hold in their head); the
 * tuned queue (event-queue.ts) must pop in exactly the same order, which
 * test/engine/queue-backends.test.ts checks on random workloads.
 *
 * - Order is (time, scheduling order): of two events at the same time, the one scheduled first
 *   (pushed, posted or unparked) pops first.
 * - An event is kind, target, three numbers (a, b, c) whose meaning the kind decides, a payload
 *   and an optional owner; `pop` exposes them through `popped*` until the next pop.
 * - `push` returns a handle for `cancel`; `post` is for events nobody will cancel.
 * - The event just popped can be parked (held out of the agenda under its handle, e.g. while its
 *   node is paused), then unparked at a new time or discarded; `cancel` works on it meanwhile.
 */
export interface EventAgenda<P, O> {
  /** Live events: scheduled or parked, not cancelled, not yet popped. */
  readonly size: number;
  push(
    atUs: Micros,
    kind: number,
    target: number,
    a: number,
    b: number,
    c: number,
    payload: P | undefined,
    owner?: O,
  ): number;
  post(
    atUs: Micros,
    kind: number,
    target: number,
    a: number,
    b: number,
    c: number,
    payload: P | undefined,
    owner?: O,
  ): void;
  /** Cancels a scheduled or parked event; false when it already fired or was cancelled. */
  cancel(handle: number): boolean;
  /** Time of the next live event, or +Infinity. */
  peekTime(): Micros;
  /** Removes the next live event into `popped*`; false when there is none. */
  pop(): boolean;
  /** Keeps the event just popped under its handle; returns the handle. */
  park(): number;
  /** Schedules a parked event at `atUs` (after everything already there); false if it was cancelled. */
  unpark(handle: number, atUs: Micros): boolean;
  /** Forgets a parked event. */
  discard(handle: number): void;
  readonly poppedTime: Micros;
  readonly poppedKind: number;
  readonly poppedTarget: number;
  readonly poppedA: number;
  readonly poppedB: number;
  readonly poppedC: number;
  readonly poppedPayload: P | undefined;
  readonly poppedOwner: O | undefined;
  /** Owner of the event now next, for a caller that wants to load it early (may be undefined). */
  readonly nextOwner: O | undefined;
  /** Set by the user to warm the cache for coming events; a backend may ignore it. */
  warmer: CacheWarmer<O> | null;
}
