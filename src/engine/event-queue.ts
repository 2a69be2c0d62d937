import { assert } from './assert.js';
import type { Micros } from './time.js';

/**
 * The engine's agenda: a binary min-heap ordered by (time, insertion sequence), stored in typed
 * arrays. An event lives in a slot: kind, target, three numeric columns (a, b, c) whose meaning
 * the kind decides, and one object column for its payload;
 * slots are recycled through a free list, so steady-state scheduling allocates nothing.
 * Cancellation is lazy: the slot's generation is bumped and the heap entry is skipped on pop,
 * which keeps cancel O(1) and push/pop O(log n).
 */
const SLOT_LIMIT = 2 ** 26;
const GENERATION_LIMIT = 2 ** 26;

export class EventQueue<P> {
  private capacity: number;
  // Slot columns.
  private time: Float64Array;
  private seq: Float64Array;
  private generation: Uint32Array;
  private kind: Uint8Array;
  private target: Int32Array;
  private colA: Float64Array;
  private colB: Float64Array;
  private colC: Float64Array;
  private payload: (P | undefined)[];
  private live: Uint8Array;
  // Free slots, and the heap of slot ids.
  private freeSlots: Int32Array;
  private freeCount = 0;
  private heap: Int32Array;
  private heapSize = 0;
  private nextSeq = 0;
  private liveCount = 0;

  constructor(initialCapacity = 1024) {
    this.capacity = initialCapacity;
    this.time = new Float64Array(initialCapacity);
    this.seq = new Float64Array(initialCapacity);
    this.generation = new Uint32Array(initialCapacity);
    this.kind = new Uint8Array(initialCapacity);
    this.target = new Int32Array(initialCapacity);
    this.colA = new Float64Array(initialCapacity);
    this.colB = new Float64Array(initialCapacity);
    this.colC = new Float64Array(initialCapacity);
    this.payload = new Array<P | undefined>(initialCapacity);
    this.live = new Uint8Array(initialCapacity);
    this.freeSlots = new Int32Array(initialCapacity);
    this.heap = new Int32Array(initialCapacity);
    for (let i = initialCapacity - 1; i >= 0; i--) this.freeSlots[this.freeCount++] = i;
  }

  /** Live (not cancelled, not yet popped) events. */
  get size(): number {
    return this.liveCount;
  }

  /**
   * Schedules an event; returns a handle `generation * 2^26 + slot` that `cancel` accepts. The
   * handle is a plain number (exact below 2^53), so holding it allocates nothing.
   */
  push(atUs: Micros, kind: number, target: number, a: number, b: number, c: number, payload: P | undefined): number {
    if (this.freeCount === 0) this.grow();
    const slot = this.freeSlots[--this.freeCount] as number;
    this.time[slot] = atUs;
    this.seq[slot] = this.nextSeq++;
    this.kind[slot] = kind;
    this.target[slot] = target;
    this.colA[slot] = a;
    this.colB[slot] = b;
    this.colC[slot] = c;
    this.payload[slot] = payload;
    this.live[slot] = 1;
    this.liveCount++;
    this.heap[this.heapSize] = slot;
    this.siftUp(this.heapSize++);
    return (this.generation[slot] as number) * SLOT_LIMIT + slot;
  }

  /** Cancels a scheduled event; false when it already fired or was cancelled. */
  cancel(handle: number): boolean {
    const gen = Math.floor(handle / SLOT_LIMIT);
    const slot = handle - gen * SLOT_LIMIT;
    if (slot >= this.capacity) return false;
    if (this.generation[slot] !== gen || this.live[slot] === 0) return false;
    this.live[slot] = 0;
    this.payload[slot] = undefined;
    this.liveCount--;
    return true;
  }

  /** Time of the next live event, or +Infinity. Drops cancelled entries from the top. */
  peekTime(): Micros {
    this.dropCancelledTop();
    return this.heapSize === 0 ? Number.POSITIVE_INFINITY : (this.time[this.heap[0] as number] as number);
  }

  /**
   * Removes the next live event and exposes its fields through `popped*` until the next pop.
   * Returns false when the queue is empty.
   */
  pop(): boolean {
    this.dropCancelledTop();
    if (this.heapSize === 0) return false;
    const slot = this.removeTop();
    this.poppedTime = this.time[slot] as number;
    this.poppedKind = this.kind[slot] as number;
    this.poppedTarget = this.target[slot] as number;
    this.poppedA = this.colA[slot] as number;
    this.poppedB = this.colB[slot] as number;
    this.poppedC = this.colC[slot] as number;
    this.poppedPayload = this.payload[slot];
    this.poppedSeq = this.seq[slot] as number;
    this.release(slot);
    this.liveCount--;
    return true;
  }

  poppedTime: Micros = 0;
  poppedKind = 0;
  poppedTarget = 0;
  poppedA = 0;
  poppedB = 0;
  poppedC = 0;
  poppedSeq = 0;
  poppedPayload: P | undefined = undefined;

  private dropCancelledTop(): void {
    while (this.heapSize > 0) {
      const top = this.heap[0] as number;
      if (this.live[top] === 1) return;
      this.removeTop();
      this.release(top);
    }
  }

  private release(slot: number): void {
    this.live[slot] = 0;
    this.payload[slot] = undefined;
    this.generation[slot] = ((this.generation[slot] as number) + 1) % GENERATION_LIMIT;
    this.freeSlots[this.freeCount++] = slot;
  }

  private removeTop(): number {
    const top = this.heap[0] as number;
    const last = this.heap[--this.heapSize] as number;
    if (this.heapSize > 0) {
      this.heap[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  private less(a: number, b: number): boolean {
    const ta = this.time[a] as number;
    const tb = this.time[b] as number;
    return ta < tb || (ta === tb && (this.seq[a] as number) < (this.seq[b] as number));
  }

  private siftUp(index: number): void {
    const heap = this.heap;
    const slot = heap[index] as number;
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const parentSlot = heap[parent] as number;
      if (!this.less(slot, parentSlot)) break;
      heap[i] = parentSlot;
      i = parent;
    }
    heap[i] = slot;
  }

  private siftDown(index: number): void {
    const heap = this.heap;
    const size = this.heapSize;
    const slot = heap[index] as number;
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= size) break;
      const right = left + 1;
      let child = left;
      if (right < size && this.less(heap[right] as number, heap[left] as number)) child = right;
      if (!this.less(heap[child] as number, slot)) break;
      heap[i] = heap[child] as number;
      i = child;
    }
    heap[i] = slot;
  }

  private grow(): void {
    const old = this.capacity;
    const next = old * 2;
    assert(next <= SLOT_LIMIT, 'event queue holds at most 2^26 pending events', { next });
    const growF64 = (a: Float64Array): Float64Array => {
      const b = new Float64Array(next);
      b.set(a);
      return b;
    };
    this.time = growF64(this.time);
    this.seq = growF64(this.seq);
    this.colA = growF64(this.colA);
    this.colB = growF64(this.colB);
    this.colC = growF64(this.colC);
    const gen = new Uint32Array(next);
    gen.set(this.generation);
    this.generation = gen;
    const kind = new Uint8Array(next);
    kind.set(this.kind);
    this.kind = kind;
    const target = new Int32Array(next);
    target.set(this.target);
    this.target = target;
    const live = new Uint8Array(next);
    live.set(this.live);
    this.live = live;
    this.payload.length = next;
    const heap = new Int32Array(next);
    heap.set(this.heap);
    this.heap = heap;
    const free = new Int32Array(next);
    free.set(this.freeSlots.subarray(0, this.freeCount));
    this.freeSlots = free;
    for (let i = next - 1; i >= old; i--) this.freeSlots[this.freeCount++] = i;
    this.capacity = next;
  }
}
