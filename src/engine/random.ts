import { AleaArena } from './alea.js';
import { assert, fail } from './assert.js';

/**
 * One seeded stream of draws. Streams are keyed on (run seed, name), so adding a component or a
 * draw in one place never shifts another component's draws. Alea (seedrandom's, see alea.ts) is
 * used for speed; floating point stays inside: callers get integers or booleans wherever they can.
 */
export class Rng {
  private readonly arena: AleaArena;
  private readonly offset: number;

  /** `arena`: where the state lives (RandomStreams shares one); a private one by default. */
  constructor(
    readonly seed: number,
    readonly streamName: string,
    arena?: AleaArena,
  ) {
    this.arena = arena ?? new AleaArena(1);
    this.offset = this.arena.add(`${seed}/${streamName}`);
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return this.arena.next(this.offset);
  }

  private next(): number {
    return this.arena.next(this.offset);
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
  private readonly arena = new AleaArena();

  constructor(readonly seed: number) {}

  stream(name: string): Rng {
    let rng = this.streams.get(name);
    if (rng === undefined) {
      rng = new Rng(this.seed, name, this.arena);
      this.streams.set(name, rng);
    }
    return rng;
  }
}
