import { ALEA_MULTIPLIER, aleaSeed, TWO_POW_32, TWO_POW_MINUS_32 } from './alea.js';
import { assert, fail } from './assert.js';

/** The actor a stream belongs to, which names it `<nodeName>/<name>/<stream>`. */
export interface StreamOwner {
  readonly nodeName: string;
  readonly name: string;
}

/**
 * One seeded stream of draws. Streams are keyed on (run seed, name), so adding a component or a
 * draw in one place never shifts another component's draws. Alea (seedrandom's, see alea.ts) is
 * used for speed; floating point stays inside: callers get integers or booleans wherever they can.
 *
 * The generator state lives in this object: Alea's three 32-bit words stored as signed 32-bit
 * integers (V8 small integers on 64-bit Node, stored inline, never boxed) and the carry, first,
 * so a draw touches one or two cache lines and nothing else: at 10^5 streams (one per executor)
 * every line is a cache miss.
 *
 * An actor's stream keeps its name as parts (its owner and its own name) and joins them only when
 * asked: the joined names were V8 ropes of ~120 bytes per actor, the largest thing an executor
 * of the heartbeat storm kept, and the collector copied each twice while a world was built.
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private c = 1;
  readonly seed: number;
  private readonly owner: StreamOwner | null;
  /** @internal The stream's name within its owner (its whole name when it has none). */
  readonly localName: string;

  /**
   * @param owner The actor whose stream this is (engine-internal): the stream is then named
   *   `<owner.nodeName>/<owner.name>/<streamName>` and seeded exactly as a stream of that name.
   */
  constructor(seed: number, streamName: string, owner: StreamOwner | null = null) {
    const [s0, s1, s2] = aleaSeed(
      owner === null
        ? `${seed}/${streamName}`
        : [String(seed), '/', owner.nodeName, '/', owner.name, '/', streamName],
    );
    this.s0 = s0 | 0;
    this.s1 = s1 | 0;
    this.s2 = s2 | 0;
    this.seed = seed;
    this.owner = owner;
    this.localName = streamName;
  }

  get streamName(): string {
    const owner = this.owner;
    return owner === null ? this.localName : `${owner.nodeName}/${owner.name}/${this.localName}`;
  }

  /** @internal Reads the state (cache warming only). */
  warmth(): number {
    return this.s0 + this.c;
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return this.next();
  }

  /** One Alea step in exact integer arithmetic (see alea.ts); 32 bits of precision. */
  private next(): number {
    const x = ALEA_MULTIPLIER * (this.s0 >>> 0) + this.c; // < 2^53: exact
    const c = Math.floor(x / TWO_POW_32);
    const s2 = x - c * TWO_POW_32; // in [0, 2^32)
    this.s0 = this.s1;
    this.s1 = this.s2;
    this.s2 = s2 | 0;
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

  pick<T>(items: readonly T[]): T {
    assert(items.length > 0, 'pick from a non-empty list', { stream: this.streamName });
    return items[Math.floor(this.next() * items.length)];
  }

  /** Fisher–Yates in place; returns the same array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }
}

/**
 * One Rng per name for a run, the same name giving the same stream object. The world's streams
 * (the network model, exploration strategies) have no owner. An actor's streams are not in the
 * world's: its context hands them out (`ctx.random(name)`, named `<node>/<actor>/<name>`), its
 * second and further ones from a RandomStreams of its own with the actor as owner, and keeps them
 * across restarts.
 */
export class RandomStreams {
  private readonly streams = new Map<string, Rng>();

  constructor(
    readonly seed: number,
    private readonly owner: StreamOwner | null = null,
  ) {}

  stream(name: string): Rng {
    let rng = this.streams.get(name);
    if (rng === undefined) {
      rng = new Rng(this.seed, name, this.owner);
      this.streams.set(name, rng);
    }
    return rng;
  }
}
