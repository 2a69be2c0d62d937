import { fail } from './assert.js';
import type { CacheWarmer, EventAgenda } from './event-agenda.js';
import type { Micros } from './time.js';

/** One scheduled event. `seq` is its place among events of the same time. */
interface Entry<P, O> {
  time: Micros;
  seq: number;
  readonly handle: number;
  readonly kind: number;
  readonly target: number;
  readonly a: number;
  readonly b: number;
  readonly c: number;
  payload: P | undefined;
  owner: O | undefined;
  /** Scheduled or parked, not yet fired, cancelled or discarded. */
  live: boolean;
}

const ARITY = 4;

/**
 * The agenda's semantics in their plainest form (see EventAgenda): a 4-ary min-heap of event
 * objects ordered by (time, seq), seq counting schedulings. Cancellation marks the entry dead;
 * a dead entry is dropped when it reaches the top.
 */
export class PlainEventQueue<P, O = unknown> implements EventAgenda<P, O> {
  private readonly heap: Entry<P, O>[] = [];
  /** Live events by handle (scheduled or parked). */
  private readonly byHandle = new Map<number, Entry<P, O>>();
  private nextSeq = 0;
  private nextHandle = 0;
  private popped: Entry<P, O> | undefined;

  poppedTime: Micros = 0;
  poppedKind = 0;
  poppedTarget = 0;
  poppedA = 0;
  poppedB = 0;
  poppedC = 0;
  poppedPayload: P | undefined = undefined;
  poppedOwner: O | undefined = undefined;
  warmer: CacheWarmer<O> | null = null;

  get size(): number {
    return this.byHandle.size;
  }

  get nextOwner(): O | undefined {
    return this.heap[0]?.owner;
  }

  push(
    atUs: Micros,
    kind: number,
    target: number,
    a: number,
    b: number,
    c: number,
    payload: P | undefined,
    owner?: O,
  ): number {
    if (!(atUs >= 0)) fail('event time >= 0', { atUs, kind });
    const entry: Entry<P, O> = {
      time: atUs,
      seq: 0,
      handle: this.nextHandle++,
      kind,
      target,
      a,
      b,
      c,
      payload,
      owner,
      live: true,
    };
    this.byHandle.set(entry.handle, entry);
    this.enqueue(entry, atUs);
    return entry.handle;
  }

  post(
    atUs: Micros,
    kind: number,
    target: number,
    a: number,
    b: number,
    c: number,
    payload: P | undefined,
    owner?: O,
  ): void {
    this.push(atUs, kind, target, a, b, c, payload, owner);
  }

  cancel(handle: number): boolean {
    const entry = this.byHandle.get(handle);
    if (entry === undefined) return false;
    this.forget(entry);
    return true;
  }

  peekTime(): Micros {
    this.dropDeadTop();
    return this.heap[0]?.time ?? Number.POSITIVE_INFINITY;
  }

  pop(): boolean {
    this.dropDeadTop();
    const top = this.takeTop();
    this.popped = top;
    if (top === undefined) return false;
    this.byHandle.delete(top.handle);
    top.live = false;
    this.poppedTime = top.time;
    this.poppedKind = top.kind;
    this.poppedTarget = top.target;
    this.poppedA = top.a;
    this.poppedB = top.b;
    this.poppedC = top.c;
    this.poppedPayload = top.payload;
    this.poppedOwner = top.owner;
    return true;
  }

  park(): number {
    const entry = this.popped;
    if (entry === undefined) fail('park follows a pop');
    this.popped = undefined;
    entry.live = true;
    this.byHandle.set(entry.handle, entry);
    return entry.handle;
  }

  unpark(handle: number, atUs: Micros): boolean {
    const entry = this.byHandle.get(handle);
    if (entry === undefined) return false; // cancelled while parked
    if (!(atUs >= 0)) fail('event time >= 0', { atUs });
    this.enqueue(entry, atUs);
    return true;
  }

  discard(handle: number): void {
    const entry = this.byHandle.get(handle);
    if (entry !== undefined) this.forget(entry);
  }

  private forget(entry: Entry<P, O>): void {
    entry.live = false;
    entry.payload = undefined;
    entry.owner = undefined;
    this.byHandle.delete(entry.handle);
  }

  private enqueue(entry: Entry<P, O>, atUs: Micros): void {
    entry.time = atUs;
    entry.seq = this.nextSeq++;
    this.heap.push(entry);
    this.siftUp(this.heap.length - 1);
  }

  private dropDeadTop(): void {
    while (this.heap.length > 0 && !this.heap[0].live) this.takeTop();
  }

  private takeTop(): Entry<P, O> | undefined {
    const top = this.heap[0];
    const last = this.heap.pop();
    if (top !== undefined && last !== undefined && last !== top) {
      this.heap[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  private static before<P, O>(x: Entry<P, O>, y: Entry<P, O>): boolean {
    return x.time < y.time || (x.time === y.time && x.seq < y.seq);
  }

  private siftUp(index: number): void {
    const heap = this.heap;
    const entry = heap[index];
    while (index > 0) {
      const parent = Math.floor((index - 1) / ARITY);
      if (!PlainEventQueue.before(entry, heap[parent])) break;
      heap[index] = heap[parent]!;
      index = parent;
    }
    heap[index] = entry;
  }

  private siftDown(index: number): void {
    const heap = this.heap;
    const entry = heap[index];
    for (;;) {
      const first = index * ARITY + 1;
      if (first >= heap.length) break;
      let best = first;
      for (let child = first + 1; child < Math.min(first + ARITY, heap.length); child++)
        if (PlainEventQueue.before(heap[child], heap[best])) best = child;
      if (!PlainEventQueue.before(heap[best], entry)) break;
      heap[index] = heap[best]!;
      index = best;
    }
    heap[index] = entry;
  }
}
