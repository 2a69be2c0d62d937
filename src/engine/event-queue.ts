import { fail } from './assert.js';
import { B_STRIDE, Buckets } from './buckets.js';
import type { CacheWarmer, EventAgenda } from './event-agenda.js';
import { PourOrder } from './pour-order.js';
import type { Micros } from './time.js';
import { grownF64 } from './typed-arrays.js';

export type { CacheWarmer } from './event-agenda.js';

/**
 * The engine's agenda, ordered by (time, insertion sequence): a 4-ary min-heap and a sorted run
 * over buckets of later events, all in typed arrays.
 *
 * An event lives in a slot: kind, target, three numbers (a, b, c) whose meaning the kind decides,
 * a payload object and an optional owner object. A slot's numbers sit together in one 64-byte
 * record of a Float64Array, so touching an event costs one cache line, not one per column; its
 * payload and owner sit side by side in one array, so they share a cache line too. Slots are
 * recycled through a free list (most recently freed first, still in cache), so steady-state
 * scheduling allocates nothing. A heap entry is (time, sequence, slot) side by side in one
 * Float64Array, so sifting reads contiguous numbers instead of chasing slot ids (that
 * indirection cost a cache miss per comparison in a large heap); 4 children per node
 * halve the depth and keep siblings within two cache lines.
 *
 * Only the near future is sorted. An event at or past `horizonUs` waits, unsorted, in a bucket
 * of one window (WINDOW_US, narrowed for a dense agenda: see DENSE_POUR): a typed array of
 * (time, slot) pairs; a cancelled event stays in and is skipped when it comes up. When the near
 * future runs dry, the earliest buckets (at least MIN_POUR events' worth) are poured: each is
 * sorted once by a stable radix sort on its time offset and appended to the *run*, a sorted
 * array consumed from its head, and the horizon moves to the last one's end. Events pushed
 * below the horizon go into the heap. The next event is the smaller of the run's head and the
 * heap's top, so popping a poured event is O(1) and the heap holds only what was pushed into
 * the near future (in a large world a few dozen deliveries, not every actor's timer). A pour is
 * also the moment to warm the cache for the events just poured (`warmBucket`). A small queue (at most HEAP_ONLY_MAX live events at a refill: a few actors,
 * events seconds apart) pours everything and turns heap-only (horizon +inf) for good: buckets
 * would cost it more than they save; a run that starts that small and later grows stays correct
 * and O(log n), only without the buckets.
 * Order is (time, insertion sequence) throughout: a poured event takes its sequence number at
 * the pour, in push order within its bucket; an event pushed straight into the heap takes it at
 * the push; and everything in the heap or the run is earlier than anything still in a bucket.
 *
 * Cancellation is lazy: the slot is marked dead and its heap or run entry is skipped when it
 * comes up, which keeps cancel O(1) and push/pop O(log n).
 *
 * A popped event can be parked (held out of the heap with the same handle, e.g. while its node
 * is paused) and later unparked at a new time; `cancel` works on parked events too.
 */
const SLOT_LIMIT = 2 ** 26;
const GENERATION_LIMIT = 2 ** 26;
const ARITY = 4;
const NO_SLOT = -1;
/** Heap entry layout: four doubles (the fourth is padding, so an index is a shift). */
const H_STRIDE = 4;
const H_TIME = 0;
const H_SEQ = 1;
const H_SLOT = 2;
/**
 * Initial width of a bucket of not-yet-near events, µs (about 8 ms). Narrow, so that what
 * `warmBucket` touches is still in cache when the events run (docs/bench.md: engine tuning).
 * At most 2^14 for PourOrder's radix sort (wider windows still sort
 * correctly, by comparator).
 */
const WINDOW_US = 8_192;
/**
 * A poured window of more than this many events halves the width of later windows, down to
 * MIN_WINDOW_US (see `narrowWindows`): a dense agenda runs faster in narrower windows (what a
 * pour warms stays in cache and in the TLB, and fewer deliveries wait in the heap), while a
 * sparse one would only pay for more, smaller pours (docs/bench.md: engine tuning).
 */
const DENSE_POUR = 256;
const MIN_WINDOW_US = 1_024;
/** At a refill with at most this many live events, the queue turns heap-only (see dropCancelledTop). */
const HEAP_ONLY_MAX = 128;
/** Below this many entries the heap is never compacted (see `cancel`). */
const MIN_COMPACT = 32;
/** A refill pours buckets until the run holds at least this many events (see dropCancelledTop). */
const MIN_POUR = 16;
/** Slot record layout: eight doubles, one cache line. */
const STRIDE = 8;
const F_KIND = 0;
const F_TARGET = 1;
const F_A = 2;
const F_B = 3;
const F_C = 4;
const F_GENERATION = 5;
const F_LIVE = 6;
/** The record's eighth (spare) word: the id of the event that scheduled this one (see `cause`). */
const F_CAUSE = 7;

export class EventQueue<P, O = unknown> implements EventAgenda<P, O> {
  private capacity: number;
  // Slot records (STRIDE doubles each); payload and owner per slot, interleaved: [2s] and [2s + 1].
  private slots: Float64Array;
  private objects: (P | O | undefined)[];
  // Free slots.
  private freeSlots: Int32Array;
  private freeCount = 0;
  // The heap: entries of (time, seq, slot), H_STRIDE doubles each.
  private heap: Float64Array;
  private heapSize = 0;
  /** Cancels since the heap was last compacted (see `cancel`). */
  private cancelsSinceCompaction = 0;
  /**
   * Poured buckets, sorted: (time, seq, slot) entries like the heap's, consumed from `runHead`.
   * A pour sorts a bucket once (PourOrder) instead of sifting each event through the heap, so
   * the heap holds only events pushed straight into the near future, and popping from the run
   * is O(1). The next event is the smaller head of the two.
   */
  private run: Float64Array;
  private runHead = 0;
  private runEnd = 0;
  private readonly pourOrder = new PourOrder();
  private nextSeq = 0;
  private liveCount = 0;
  /** Events before this time are in the heap or the run; later ones wait in buckets. */
  private horizonUs = WINDOW_US;
  /** Width of the windows new buckets are keyed by (only narrows, see `narrowWindows`). */
  private windowUs = WINDOW_US;
  /** Events at or past the horizon, by window. */
  private readonly buckets = new Buckets();
  /** The slot of the last pop: released at the next pop unless parked first. */
  private poppedSlot = NO_SLOT;

  constructor(initialCapacity = 1024) {
    if (!(initialCapacity >= 1 && initialCapacity <= SLOT_LIMIT))
      fail('1 <= initial capacity <= 2^26', { initialCapacity });
    this.capacity = initialCapacity;
    // A large queue's records are page-aligned from the first allocation on (see recordsGrown).
    this.slots = recordsGrown(new Float64Array(0), initialCapacity * STRIDE);
    this.objects = new Array<P | O | undefined>(initialCapacity * 2).fill(undefined);
    this.freeSlots = new Int32Array(initialCapacity);
    this.heap = new Float64Array(initialCapacity * H_STRIDE);
    this.run = new Float64Array(initialCapacity * H_STRIDE);
    for (let i = initialCapacity - 1; i >= 0; i--) this.freeSlots[this.freeCount++] = i;
  }

  /** Live events: scheduled or parked, not cancelled, not yet popped. */
  get size(): number {
    return this.liveCount;
  }

  /**
   * Schedules an event; returns a handle `generation * 2^26 + slot` that `cancel` accepts. The
   * handle is a plain number (exact below 2^53), so holding it allocates nothing.
   */
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
    const slot = this.place(atUs, kind, target, a, b, c, payload, owner);
    return this.slots[slot * STRIDE + F_GENERATION] * SLOT_LIMIT + slot;
  }

  /**
   * `push` for an event nobody will cancel (a delivery, a callback): no handle, so nothing to
   * box (a handle past 2^31 is a heap number, allocated on every call that returns one).
   */
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
    this.place(atUs, kind, target, a, b, c, payload, owner);
  }

  /** Fills a free slot and schedules it; returns the slot. */
  private place(
    atUs: Micros,
    kind: number,
    target: number,
    a: number,
    b: number,
    c: number,
    payload: P | undefined,
    owner: O | undefined,
  ): number {
    if (!(atUs >= 0)) fail('event time >= 0', { atUs, kind });
    if (this.freeCount === 0) this.grow();
    const slot = this.freeSlots[--this.freeCount];
    const slots = this.slots;
    const base = slot * STRIDE;
    slots[base + F_KIND] = kind;
    slots[base + F_TARGET] = target;
    slots[base + F_A] = a;
    slots[base + F_B] = b;
    slots[base + F_C] = c;
    slots[base + F_LIVE] = 1;
    slots[base + F_CAUSE] = this.cause;
    this.objects[2 * slot] = payload;
    this.objects[2 * slot + 1] = owner;
    this.liveCount++;
    this.schedule(slot, atUs);
    return slot;
  }

  /** Cancels a scheduled or parked event; false when it already fired or was cancelled. */
  cancel(handle: number): boolean {
    const slot = this.liveSlot(handle);
    if (slot === NO_SLOT) return false;
    this.slots[slot * STRIDE + F_LIVE] = 0;
    this.objects[2 * slot] = undefined;
    this.objects[2 * slot + 1] = undefined;
    this.liveCount--;
    // Lazy cancellation leaves dead entries behind; a model that re-arms a far timeout on every
    // heartbeat (cancel, then arm again) fills a small heap with them (the Mantis model does).
    // After cancels numbering a quarter of the heap, drop them: O(n) per n/4 cancels.
    if (++this.cancelsSinceCompaction > this.heapSize >> 2 && this.heapSize >= MIN_COMPACT)
      this.compactHeap();
    return true;
  }

  /**
   * Removes cancelled entries from the heap and rebuilds it (Floyd's heapify). The order of
   * what remains is the same (time, sequence) order, so nothing observable changes.
   */
  private compactHeap(): void {
    this.cancelsSinceCompaction = 0;
    const heap = this.heap;
    let kept = 0;
    for (let i = 0; i < this.heapSize; i++) {
      const at = i * H_STRIDE;
      const slot = heap[at + H_SLOT];
      if (!this.isLive(slot)) {
        this.release(slot);
        continue;
      }
      const to = kept++ * H_STRIDE;
      heap[to + H_TIME] = heap[at + H_TIME];
      heap[to + H_SEQ] = heap[at + H_SEQ];
      heap[to + H_SLOT] = slot;
    }
    this.heapSize = kept;
    for (let i = Math.floor((kept - 2) / ARITY); i >= 0; i--) {
      const at = i * H_STRIDE;
      this.siftDown(heap[at + H_TIME], heap[at + H_SEQ], heap[at + H_SLOT], i);
    }
  }

  /** Time of the next live event, or +Infinity. Drops cancelled entries from the top. */
  peekTime(): Micros {
    this.dropCancelledTop();
    if (this.nextIsInRun()) return this.run[this.runHead * H_STRIDE + H_TIME];
    return this.heapSize === 0 ? Number.POSITIVE_INFINITY : this.heap[H_TIME];
  }

  /**
   * Removes the next live event and exposes its fields through `popped*` until the next pop.
   * Returns false when the queue is empty.
   */
  pop(): boolean {
    if (this.poppedSlot !== NO_SLOT) {
      this.release(this.poppedSlot);
      this.poppedSlot = NO_SLOT;
    }
    this.dropCancelledTop();
    let slot: number;
    if (this.nextIsInRun()) {
      const at = this.runHead++ * H_STRIDE;
      const run = this.run;
      slot = run[at + H_SLOT];
      this.poppedTime = run[at + H_TIME];
      this.poppedSeq = run[at + H_SEQ];
      if (this.runHead === this.runEnd) this.runHead = this.runEnd = 0;
    } else {
      if (this.heapSize === 0) return false;
      slot = this.heap[H_SLOT];
      this.poppedTime = this.heap[H_TIME];
      this.poppedSeq = this.heap[H_SEQ];
      this.removeTop();
    }
    const slots = this.slots;
    this.prefetchAhead();
    const base = slot * STRIDE;
    this.poppedKind = slots[base + F_KIND];
    this.poppedTarget = slots[base + F_TARGET];
    this.poppedA = slots[base + F_A];
    this.poppedB = slots[base + F_B];
    this.poppedC = slots[base + F_C];
    this.poppedCause = slots[base + F_CAUSE];
    this.poppedPayload = this.objects[2 * slot] as P | undefined;
    this.poppedOwner = this.objects[2 * slot + 1] as O | undefined;
    // Dead from now on (a cancel of its handle fails), but the slot is kept until the next pop
    // so that `park` can still keep it.
    slots[base + F_LIVE] = 0;
    this.liveCount--;
    this.poppedSlot = slot;
    return true;
  }

  poppedTime: Micros = 0;
  poppedKind = 0;
  poppedTarget = 0;
  poppedA = 0;
  poppedB = 0;
  poppedC = 0;
  poppedSeq = 0;
  poppedCause = 0;
  /**
   * Stamped on every event pushed from now on (the caller's id of the event running, 0 for
   * none): causality in the record's spare word, so no push signature changes and no record grows.
   */
  cause = 0;
  poppedPayload: P | undefined = undefined;
  poppedOwner: O | undefined = undefined;
  /** Owner of the event now at the top (see `pop`), for the caller to touch ahead of time. */
  nextOwner: O | undefined = undefined;
  /** Sink for the early load in `pop`, so the compiler keeps it. */
  prefetchSink = 0;
  /** Set by the queue's user to warm the cache for poured events (see `warmBucket`). */
  warmer: CacheWarmer<O> | null = null;
  /**
   * The owners of the bucket being warmed. Reused, not cleared: it keeps at most one pour's
   * owners (contexts) alive, which the simulation holds anyway.
   */
  private readonly warming: (O | undefined)[] = [];

  /**
   * Software prefetch. In a large world an event's record, its payload/owner pair and its owner
   * are cache misses, each waiting for the one before. Loaded while the event before it runs,
   * they overlap that event's own misses instead: this touches the record and pair of the event
   * now at the top (a guess: exact unless something earlier is pushed meanwhile) and hands the
   * caller its owner to touch in turn. Only loads: nothing observable changes.
   */
  private prefetchAhead(): void {
    let next: number;
    if (this.nextIsInRun()) next = this.run[this.runHead * H_STRIDE + H_SLOT];
    else if (this.heapSize > 0) next = this.heap[H_SLOT];
    else {
      this.nextOwner = undefined;
      return;
    }
    this.prefetchSink = this.slots[next * STRIDE + F_KIND];
    this.nextOwner = this.objects[2 * next + 1] as O | undefined;
  }

  /** Whether the next event is the run's head rather than the heap's top (by time, then seq). */
  private nextIsInRun(): boolean {
    if (this.runHead === this.runEnd) return false;
    if (this.heapSize === 0) return true;
    const at = this.runHead * H_STRIDE;
    const runTime = this.run[at + H_TIME];
    const heapTime = this.heap[H_TIME];
    return runTime < heapTime || (runTime === heapTime && this.run[at + H_SEQ] < this.heap[H_SEQ]);
  }

  /**
   * Keeps the event just popped out of the heap under its original handle, so a timer held by a
   * paused node can still be cancelled. Returns that handle, for `unpark` or `discard`.
   */
  park(): number {
    const slot = this.poppedSlot;
    if (slot === NO_SLOT) fail('park follows a pop');
    this.poppedSlot = NO_SLOT;
    this.slots[slot * STRIDE + F_LIVE] = 1;
    this.liveCount++;
    return this.slots[slot * STRIDE + F_GENERATION] * SLOT_LIMIT + slot;
  }

  /** Puts a parked event back in the heap at `atUs`, after everything already there at that time. */
  unpark(handle: number, atUs: Micros): boolean {
    const slot = this.parkedSlot(handle);
    if (!this.isLive(slot)) {
      this.release(slot); // cancelled while parked
      return false;
    }
    if (!(atUs >= 0)) fail('event time >= 0', { atUs });
    this.schedule(slot, atUs);
    return true;
  }

  /** Forgets a parked event (its node crashed while paused). */
  discard(handle: number): void {
    const slot = this.parkedSlot(handle);
    if (this.isLive(slot)) this.liveCount--;
    this.release(slot);
  }

  private parkedSlot(handle: number): number {
    const gen = Math.floor(handle / SLOT_LIMIT);
    const slot = handle - gen * SLOT_LIMIT;
    if (!(slot >= 0 && slot < this.capacity && this.slots[slot * STRIDE + F_GENERATION] === gen))
      fail('a parked handle is current', { handle });
    return slot;
  }

  /** The slot of a live (scheduled or parked) event, or NO_SLOT. */
  private liveSlot(handle: number): number {
    if (!(handle >= 0)) return NO_SLOT;
    const gen = Math.floor(handle / SLOT_LIMIT);
    const slot = handle - gen * SLOT_LIMIT;
    if (slot >= this.capacity) return NO_SLOT;
    if (this.slots[slot * STRIDE + F_GENERATION] !== gen || !this.isLive(slot)) return NO_SLOT;
    return slot;
  }

  private schedule(slot: number, atUs: Micros): void {
    if (atUs < this.horizonUs) {
      this.siftUp(this.heapSize++, atUs, this.nextSeq++, slot);
      return;
    }
    this.buckets.add(Math.floor(atUs / this.windowUs), atUs, slot);
  }

  /** Whether the slot's event is scheduled or parked (not fired, cancelled or discarded). */
  private isLive(slot: number): boolean {
    return this.slots[slot * STRIDE + F_LIVE] === 1;
  }

  /** Drops cancelled entries from the heap top and the run head; pours buckets when both are empty. */
  private dropCancelledTop(): void {
    for (;;) {
      while (this.heapSize > 0) {
        const top = this.heap[H_SLOT];
        if (this.isLive(top)) break;
        this.removeTop();
        this.release(top);
      }
      while (this.runHead < this.runEnd) {
        const head = this.run[this.runHead * H_STRIDE + H_SLOT];
        if (this.isLive(head)) break;
        this.runHead++;
        this.release(head);
      }
      if (this.runHead === this.runEnd) this.runHead = this.runEnd = 0;
      if (this.heapSize > 0 || this.runEnd > 0) return;
      // Pour at least MIN_POUR events (or everything left): a pour of a window or two of a
      // handful of events each costs more than it saves; a dense simulation pours one window.
      while (this.runEnd < MIN_POUR && !this.buckets.isEmpty) this.pourNextBucket();
      // A small simulation (a few dozen pending events, seconds apart) gains nothing from
      // buckets: it pours them all and from then on every push goes to the heap (horizon +inf).
      if (this.liveCount <= HEAP_ONLY_MAX && !this.buckets.isEmpty) {
        while (!this.buckets.isEmpty) this.pourNextBucket();
        this.horizonUs = Number.POSITIVE_INFINITY;
      }
      if (this.runEnd === 0) return;
    }
  }

  private pourNextBucket(): void {
    const bucket = this.buckets.takeFirst();
    const index = this.buckets.takenIndex;
    this.horizonUs = (index + 1) * this.windowUs;
    // Cancelled events go in too: the run's head skips and frees them when they come up.
    const data = bucket.data;
    const end = bucket.length * B_STRIDE;
    this.appendSorted(data, bucket.length, index * this.windowUs);
    if (this.warmer !== null) this.warmBucket(data, end, this.warmer);
    const dense = bucket.length > DENSE_POUR;
    this.buckets.recycle(bucket);
    if (dense && this.windowUs > MIN_WINDOW_US) this.narrowWindows();
  }

  /**
   * Halves the window width and re-keys every bucket by it. Order is kept: each new bucket takes
   * its events from one old bucket (the width halves), in that bucket's push order; and the
   * horizon, a multiple of the old width, is one of the new. O(pending events), at most a few
   * times per simulation.
   */
  private narrowWindows(): void {
    this.windowUs /= 2;
    this.buckets.rekey(this.windowUs, 2);
  }

  /** The current window width, µs (diagnostics and tests). */
  get windowWidthUs(): Micros {
    return this.windowUs;
  }

  /**
   * Appends a bucket's events to the run in (time, push order), each with the next sequence
   * number in push order (as the heap would have given it).
   */
  private appendSorted(data: Float64Array, count: number, windowStartUs: Micros): void {
    const order = this.pourOrder.sort(data, count, windowStartUs, this.windowUs);
    if ((this.runEnd + count) * H_STRIDE > this.run.length)
      this.run = grownF64(this.run, Math.max((this.runEnd + count) * H_STRIDE, 2 * this.run.length));
    const run = this.run;
    const seqBase = this.nextSeq;
    this.nextSeq += count;
    for (let k = 0; k < count; k++) {
      const i = order[k];
      const at = this.runEnd++ * H_STRIDE;
      run[at + H_TIME] = data[i * B_STRIDE];
      run[at + H_SEQ] = seqBase + i;
      run[at + H_SLOT] = data[i * B_STRIDE + 1];
    }
  }

  /**
   * Cache warming for a poured bucket: the events of the next window, about to run in some
   * order. In a large world every one of them would take a chain of cache misses (its record and
   * owner, what the owner holds, what that points to), each waiting for the one before. Here each
   * link of the chains is one loop over the whole bucket, whose loads do not depend on one
   * another, so the processor overlaps them (dozens in flight instead of one). The first loop
   * gathers the owners into one array (a delivery's: its receiver, by `ownerFor`), so the later
   * loops are a few instructions each and keep more loads in flight. Loads only: nothing observable changes. The
   * window is narrow enough that what is touched is still in cache when its event runs.
   */
  private warmBucket(data: Float64Array, end: number, warmer: CacheWarmer<O>): void {
    const slots = this.slots;
    const objects = this.objects;
    const owners = this.warming;
    let count = 0;
    let sink = 0;
    for (let at = 0; at < end; at += B_STRIDE) {
      const slot = data[at + 1];
      const target = slots[slot * STRIDE + F_TARGET];
      const owner = (objects[2 * slot + 1] as O | undefined) ?? warmer.ownerFor(target);
      if (owner !== undefined) owners[count++] = owner;
    }
    for (let k = 0; k < count; k++) sink += warmer.touch(owners[k] as O, 0);
    for (let k = 0; k < count; k++) sink += warmer.touch(owners[k] as O, 1);
    this.prefetchSink = sink;
  }

  private release(slot: number): void {
    const base = slot * STRIDE;
    this.slots[base + F_LIVE] = 0;
    this.objects[2 * slot] = undefined;
    this.objects[2 * slot + 1] = undefined;
    this.slots[base + F_GENERATION] = (this.slots[base + F_GENERATION] + 1) % GENERATION_LIMIT;
    this.freeSlots[this.freeCount++] = slot;
  }

  private removeTop(): void {
    const last = --this.heapSize;
    if (last > 0) {
      const at = last * H_STRIDE;
      this.siftDown(this.heap[at + H_TIME], this.heap[at + H_SEQ], this.heap[at + H_SLOT]);
    }
  }

  /** Places (time, seq, slot) at hole `index` or above it. */
  private siftUp(index: number, time: number, seq: number, slot: number): void {
    const heap = this.heap;
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 2;
      const p = parent * H_STRIDE;
      const parentTime = heap[p + H_TIME];
      if (parentTime < time || (parentTime === time && heap[p + H_SEQ] < seq)) break;
      const at = i * H_STRIDE;
      heap[at + H_TIME] = parentTime;
      heap[at + H_SEQ] = heap[p + H_SEQ];
      heap[at + H_SLOT] = heap[p + H_SLOT];
      i = parent;
    }
    const at = i * H_STRIDE;
    heap[at + H_TIME] = time;
    heap[at + H_SEQ] = seq;
    heap[at + H_SLOT] = slot;
  }

  /** Places (time, seq, slot) at hole `from` (the root unless heapifying) or below it. */
  private siftDown(time: number, seq: number, slot: number, from = 0): void {
    const heap = this.heap;
    const size = this.heapSize;
    let i = from;
    for (;;) {
      const first = ARITY * i + 1;
      if (first >= size) break;
      const end = first + ARITY < size ? first + ARITY : size;
      let best = first;
      let bestTime = heap[first * H_STRIDE + H_TIME];
      let bestSeq = heap[first * H_STRIDE + H_SEQ];
      for (let c = first + 1; c < end; c++) {
        const t = heap[c * H_STRIDE + H_TIME];
        if (t < bestTime || (t === bestTime && heap[c * H_STRIDE + H_SEQ] < bestSeq)) {
          best = c;
          bestTime = t;
          bestSeq = heap[c * H_STRIDE + H_SEQ];
        }
      }
      if (time < bestTime || (time === bestTime && seq < bestSeq)) break;
      const at = i * H_STRIDE;
      heap[at + H_TIME] = bestTime;
      heap[at + H_SEQ] = bestSeq;
      heap[at + H_SLOT] = heap[best * H_STRIDE + H_SLOT];
      i = best;
    }
    const at = i * H_STRIDE;
    heap[at + H_TIME] = time;
    heap[at + H_SEQ] = seq;
    heap[at + H_SLOT] = slot;
  }

  private grow(): void {
    const old = this.capacity;
    const next = old * 2;
    if (next > SLOT_LIMIT) fail('event queue holds at most 2^26 pending events', { next });
    this.slots = recordsGrown(this.slots, next * STRIDE);
    this.heap = grownF64(this.heap, next * H_STRIDE);
    for (let i = 2 * old; i < 2 * next; i++) this.objects.push(undefined);
    const free = new Int32Array(next);
    free.set(this.freeSlots.subarray(0, this.freeCount));
    this.freeSlots = free;
    for (let i = next - 1; i >= old; i--) this.freeSlots[this.freeCount++] = i;
    this.capacity = next;
  }
}

/** From this size on, slot records live in page-aligned memory (see `recordsGrown`). */
const ALIGNED_RECORDS_MIN_BYTES = 1 << 20;
const WASM_PAGE_BYTES = 65_536;

/**
 * `grownF64` for the slot records. A typed array's memory comes from malloc: for a large one,
 * glibc returns a page plus a 16-byte header, so every 64-byte record straddles two cache lines
 * and touching an event costs two misses. A WebAssembly.Memory is page-aligned, so each record
 * is exactly one line (docs/bench.md: engine tuning). Only for large queues: a
 * Memory reserves address space, which a small simulation (one per fuzz seed) should not pay
 * for; and a plain array if the Memory cannot be had.
 */
function recordsGrown(column: Float64Array, length: number): Float64Array {
  const bytes = length * Float64Array.BYTES_PER_ELEMENT;
  if (bytes < ALIGNED_RECORDS_MIN_BYTES) return grownF64(column, length);
  let grown: Float64Array;
  try {
    const pages = Math.ceil(bytes / WASM_PAGE_BYTES);
    grown = new Float64Array(new WebAssembly.Memory({ initial: pages, maximum: pages }).buffer, 0, length);
  } catch {
    return grownF64(column, length);
  }
  grown.set(column);
  return grown;
}
