import { B_STRIDE } from './buckets.js';

/** Above this many events a pour is radix-sorted; below, insertion-sorted. */
const INSERTION_MAX = 32;
const RADIX_BITS = 7;
const RADIX = 1 << RADIX_BITS;

/**
 * Orders a poured bucket's events by (time, position in the bucket), stably, with reusable
 * scratch: an insertion sort for a few events, else a two-pass radix sort on the time's offset
 * in its window (7 + 7 bits, so a window of at most 2^14 µs), linear and without comparator
 * calls. A fractional time (never from the engine, which counts whole µs) falls back to a
 * comparator sort (docs/bench.md: engine tuning, for why not the native sort).
 */
export class PourOrder {
  private order = new Int32Array(64);
  private scratch = new Int32Array(64);
  private offsets = new Int32Array(64);
  private readonly counts = new Int32Array(RADIX);

  /**
   * Positions 0..count-1 of the (time, slot) pairs in `data`, in (time, position) order. The
   * returned array is reused by the next call.
   */
  sort(data: Float64Array, count: number, windowStartUs: number, windowUs: number): Int32Array {
    if (this.order.length < count) {
      const length = Math.max(count, 2 * this.order.length);
      this.order = new Int32Array(length);
      this.scratch = new Int32Array(length);
      this.offsets = new Int32Array(length);
    }
    const order = this.order;
    const offsets = this.offsets;
    let integral = windowUs <= 1 << (2 * RADIX_BITS);
    for (let i = 0; i < count; i++) {
      const offsetUs = data[i * B_STRIDE] - windowStartUs;
      if (!(Number.isInteger(offsetUs) && offsetUs >= 0 && offsetUs < windowUs)) integral = false;
      offsets[i] = offsetUs;
      order[i] = i;
    }
    if (!integral) {
      const sorted = Array.from(order.subarray(0, count)).sort(
        (x, y) => data[x * B_STRIDE] - data[y * B_STRIDE] || x - y,
      );
      for (let k = 0; k < count; k++) order[k] = sorted[k];
    } else if (count <= INSERTION_MAX) {
      for (let k = 1; k < count; k++) {
        const i = order[k];
        const offset = offsets[i];
        let j = k - 1;
        while (j >= 0 && offsets[order[j]] > offset) {
          order[j + 1] = order[j];
          j--;
        }
        order[j + 1] = i;
      }
    } else {
      this.radixPass(order, this.scratch, count, 0);
      this.radixPass(this.scratch, order, count, RADIX_BITS);
    }
    return order;
  }

  /** One stable counting pass: `from` to `to` by RADIX_BITS of the offset at `shift`. */
  private radixPass(from: Int32Array, to: Int32Array, count: number, shift: number): void {
    const counts = this.counts;
    const offsets = this.offsets;
    counts.fill(0);
    for (let k = 0; k < count; k++) counts[(offsets[from[k]] >> shift) & (RADIX - 1)]++;
    let total = 0;
    for (let d = 0; d < RADIX; d++) {
      const c = counts[d];
      counts[d] = total;
      total += c;
    }
    for (let k = 0; k < count; k++) {
      const i = from[k];
      const d = (offsets[i] >> shift) & (RADIX - 1);
      to[counts[d]] = i;
      counts[d]++;
    }
  }
}
