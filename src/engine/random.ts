import { ALEA_MULTIPLIER, aleaSeed, TWO_POW_32, TWO_POW_MINUS_32 } from './alea.js';
import { assert, fail } from './assert.js';

/**
 * One seeded stream of draws. Streams are keyed on (run seed, name), so adding a component or a
 * draw in one place never shifts another component's draws. Alea (seedrandom's, see alea.ts) is
 * used for speed; floating point stays inside: callers get integers or booleans wherever they can.
 *
 * The generator state lives in this object as seven small integers (each 32-bit state word split
 * in 16-bit halves, so every field is a V8 small integer stored inline, never a boxed double):
 * a draw touches this one object and nothing else. At 10^5 streams (one per executor) a shared
 * state array cost a second cache miss per draw.
 */
export class Rng {
  private s0hi: number;
  private s0lo: number;
  private s1hi: number;
  private s1lo: number;
  private s2hi: number;
  private s2lo: number;
  private c = 1;

  constructor(
    readonly seed: number,
    readonly streamName: string,
  ) {
    const [s0, s1, s2] = aleaSeed(`${seed}/${streamName}`);
    this.s0hi = s0 >>> 16;
    this.s0lo = s0 & 0xffff;
    this.s1hi = s1 >>> 16;
    this.s1lo = s1 & 0xffff;
    this.s2hi = s2 >>> 16;
    this.s2lo = s2 & 0xffff;
  }

  /** @internal Reads the state (cache warming only). */
  warmth(): number {
    return this.s0hi + this.c;
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return this.next();
  }

  /** One Alea step in exact integer arithmetic (see alea.ts); 32 bits of precision. */
  private next(): number {
    const x = ALEA_MULTIPLIER * (this.s0hi * 65536 + this.s0lo) + this.c; // < 2^53: exact
    const c = Math.floor(x / TWO_POW_32);
    const s2 = x - c * TWO_POW_32;
    this.s0hi = this.s1hi;
    this.s0lo = this.s1lo;
    this.s1hi = this.s2hi;
    this.s1lo = this.s2lo;
    this.s2hi = s2 >>> 16;
    this.s2lo = s2 & 0xffff;
    this.c = c;
    return s2 * TWO_POW_MINUS_32;
  }

  chance(probability: number): boolean {
    // Checks without `assert` so the hot path builds no facts object.
    if (!(probability >= 0)) fail('probability >= 0', { probability, stream: this.streamName });
    if (!(probability <= 1)) fail('probability <= 1', { probability, stream: this.streamName });
    if (probability === 0) return false;
    return this.next() < probability;
  }

  /** Integer uniform in [min, max], both inclusive. */
  intInclusive(min: number, max: number): number {
    if (!Number.isInteger(min)) fail('integer min', { min, max, stream: this.streamName });
    if (!Number.isInteger(max)) fail('integer max', { min, max, stream: this.streamName });
    if (!(min <= max)) fail('min <= max', { min, max, stream: this.streamName });
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Integer uniform in [min, max). Equal bounds give min. */
  range(min: number, max: number): number {
    if (!(min <= max)) fail('min <= max', { min, max, stream: this.streamName });
    if (min === max) return min;
    return min + Math.floor(this.next() * (max - min));
  }

  /**
   * Exponential with the given mean, rounded to an integer. Math.log may differ in the last bit
   * between engines (ECMAScript leaves it implementation-defined); rounding hides that in practice.
   */
  exponential(mean: number): number {
    assert(mean >= 0, 'mean >= 0', { mean, stream: this.streamName });
    return Math.round(-Math.log(1 - this.next()) * mean);
  }

  pick<T>(items: readonly T[]): T {
    assert(items.length > 0, 'pick from a non-empty list', { stream: this.streamName });
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Fisher–Yates in place; returns the same array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }
}

/** Hands out one Rng per name for a run; the same name gives the same stream object. */
export class RandomStreams {
  private readonly streams = new Map<string, Rng>();

  constructor(readonly seed: number) {}

  stream(name: string): Rng {
    let rng = this.streams.get(name);
    if (rng === undefined) {
      rng = new Rng(this.seed, name);
      this.streams.set(name, rng);
    }
    return rng;
  }
}
