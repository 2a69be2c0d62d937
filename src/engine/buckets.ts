import { grownF64 } from './typed-arrays.js';

/** Bucket entry layout: (time, slot). */
export const B_STRIDE = 2;
/** Slots of the bucket cache at the initial window width (a power of two; see `rekey`). */
const RING = 256;
/** How far back from the latest window a lookup scans before it searches. */
const TAIL_SCAN = 8;

/** Not-yet-near events of one window: (time, slot) pairs in push order. */
export interface Bucket {
  data: Float64Array;
  length: number;
}

/**
 * The event queue's not-yet-near events, one bucket per window index (floor(time / window)).
 *
 * Non-empty buckets are kept by ascending window index in two parallel arrays between `head`
 * and `end`: few at a time (one per window that has events), found by binary search, the one at
 * the head taken next. The arrays only grow: a Map here, or `shift`, reallocated storage as
 * buckets came and went (a sparse simulation makes and pours a bucket every few events).
 *
 * In front of that search sits a direct-mapped cache: slot `index % ring size` remembers the
 * last bucket found or made for a window that maps there (256 windows of 8 ms: about 2 s ahead;
 * the cache grows as the windows narrow, see `rekey`). A heartbeat re-armed a second out, a
 * delivery a few ms out: nearly every add is one array read.
 * An entry outlives its window harmlessly: a taken window is below the queue's horizon, so no
 * add asks for it again (its bucket, recycled, may meanwhile serve another window).
 */
export class Buckets {
  private readonly indices: number[] = [];
  private readonly list: (Bucket | undefined)[] = [];
  private head = 0;
  private end = 0;
  private ringIndex: number[] = new Array<number>(RING).fill(-1);
  private ringBucket: (Bucket | undefined)[] = new Array<Bucket | undefined>(RING).fill(undefined);
  private ringMask = RING - 1;
  /** Emptied buckets kept for reuse, so steady-state bucketing allocates nothing. */
  private readonly spares: Bucket[] = [];
  /** The window index of the bucket last returned by `takeFirst`. */
  takenIndex = 0;

  get isEmpty(): boolean {
    return this.end === this.head;
  }

  /** Appends (time, slot) to window `index`'s bucket. */
  add(index: number, timeUs: number, slot: number): void {
    const r = index & this.ringMask;
    const bucket = this.ringIndex[r] === index ? (this.ringBucket[r] as Bucket) : this.bucketFor(index, r);
    if ((bucket.length + 1) * B_STRIDE > bucket.data.length)
      bucket.data = grownF64(bucket.data, bucket.data.length * 2);
    const at = bucket.length * B_STRIDE;
    bucket.data[at] = timeUs;
    bucket.data[at + 1] = slot;
    bucket.length++;
  }

  /** Takes out the earliest bucket (its index in `takenIndex`); hand it back with `recycle`. */
  takeFirst(): Bucket {
    const head = this.head;
    this.takenIndex = this.indices[head];
    const bucket = this.list[head] as Bucket;
    this.list[head] = undefined;
    this.head = head + 1 === this.end ? (this.end = 0) : head + 1;
    return bucket;
  }

  recycle(bucket: Bucket): void {
    bucket.length = 0;
    this.spares.push(bucket);
  }

  /**
   * Re-keys every bucket by windows `factor` times narrower (a power of two): each event moves,
   * in its bucket's push order, to the bucket of floor(time / windowUs). The cache grows by the
   * same factor, so it still covers the same stretch of time (a timer re-armed a second out
   * would otherwise miss it on every add).
   */
  rekey(windowUs: number, factor: number): void {
    const old: Bucket[] = [];
    for (let i = this.head; i < this.end; i++) old.push(this.list[i] as Bucket);
    this.list.fill(undefined);
    this.head = this.end = 0;
    const ring = (this.ringMask + 1) * factor;
    this.ringIndex = new Array<number>(ring).fill(-1);
    this.ringBucket = new Array<Bucket | undefined>(ring).fill(undefined);
    this.ringMask = ring - 1;
    for (const bucket of old) {
      const data = bucket.data;
      for (let k = 0; k < bucket.length; k++) {
        const timeUs = data[k * B_STRIDE];
        this.add(Math.floor(timeUs / windowUs), timeUs, data[k * B_STRIDE + 1]);
      }
      this.recycle(bucket);
    }
  }

  /** The bucket of window `index` (not in cache slot `r`), made if there is none; cached. */
  private bucketFor(index: number, r: number): Bucket {
    const bucket = this.findOrMake(index);
    this.ringIndex[r] = index;
    this.ringBucket[r] = bucket;
    return bucket;
  }

  private findOrMake(index: number): Bucket {
    const indices = this.indices;
    const list = this.list;
    let lo = this.head;
    let hi = this.end;
    // Most adds land in one of the latest windows (timers re-armed by about the same period):
    // a short scan back from the end finds the place without a search.
    const stop = hi - TAIL_SCAN > lo ? hi - TAIL_SCAN : lo;
    while (hi > stop && indices[hi - 1] >= index) hi--;
    if (hi > stop) lo = hi; // found in the tail: the first window at or after `index` is at hi
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (indices[mid] < index) lo = mid + 1;
      else hi = mid;
    }
    if (lo < this.end && indices[lo] === index) return list[lo] as Bucket;
    // Four entries (64 bytes) to start: V8 keeps a typed array that small on its own heap, no
    // malloc; a sparse simulation has a hundred such buckets of one or two events each.
    const bucket = this.spares.pop() ?? { data: new Float64Array(4 * B_STRIDE), length: 0 };
    if (this.end === indices.length) {
      if (this.head > 0) {
        // Room at the front: move the live range down instead of growing.
        const head = this.head;
        for (let i = head; i < this.end; i++) {
          indices[i - head] = indices[i];
          list[i - head] = list[i];
        }
        for (let i = this.end - head; i < this.end; i++) list[i] = undefined;
        this.end -= head;
        this.head = 0;
        lo -= head;
      } else {
        indices.push(0);
        list.push(undefined);
      }
    }
    for (let i = this.end; i > lo; i--) {
      indices[i] = indices[i - 1];
      list[i] = list[i - 1];
    }
    indices[lo] = index;
    list[lo] = bucket;
    this.end++;
    return bucket;
  }
}
