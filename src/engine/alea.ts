/**
 * Baagøe's Alea generator, seeded exactly as seedrandom's `alea` (node_modules/seedrandom/lib/
 * alea.js, MIT, Copyright (C) 2010 Johannes Baagøe): the same seed string gives the same draws,
 * bit for bit (test/engine/random.test.ts checks it against seedrandom).
 *
 * Ported so that many streams share one arena: each stream's four state numbers sit side by side
 * in one Float64Array, one cache line per stream. seedrandom builds five closures and four boxed
 * numbers per stream; at 10^5 streams (one per executor) those scattered objects made every draw
 * a cache miss or five.
 */
const STATE_SIZE = 4;
const S0 = 0;
const S1 = 1;
const S2 = 2;
const C = 3;

export class AleaArena {
  private data: Float64Array;
  private count = 0;

  constructor(initialStreams = 16) {
    this.data = new Float64Array(initialStreams * STATE_SIZE);
  }

  /** Seeds a new stream; returns its offset for `next`. */
  add(seed: string): number {
    if ((this.count + 1) * STATE_SIZE > this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    const offset = this.count * STATE_SIZE;
    this.count++;
    const mash = new Mash();
    let s0 = mash.hash(' ');
    let s1 = mash.hash(' ');
    let s2 = mash.hash(' ');
    s0 -= mash.hash(seed);
    if (s0 < 0) s0 += 1;
    s1 -= mash.hash(seed);
    if (s1 < 0) s1 += 1;
    s2 -= mash.hash(seed);
    if (s2 < 0) s2 += 1;
    const data = this.data;
    data[offset + S0] = s0;
    data[offset + S1] = s1;
    data[offset + S2] = s2;
    data[offset + C] = 1;
    return offset;
  }

  /** The stream's next draw, uniform in [0, 1) with 32 bits of precision. */
  next(offset: number): number {
    const data = this.data;
    const t = 2091639 * (data[offset + S0] as number) + (data[offset + C] as number) * 2.3283064365386963e-10; // 2^-32
    data[offset + S0] = data[offset + S1] as number;
    data[offset + S1] = data[offset + S2] as number;
    const c = t | 0;
    data[offset + C] = c;
    const s2 = t - c;
    data[offset + S2] = s2;
    return s2;
  }
}

class Mash {
  private n = 0xefc8249d;

  hash(data: string): number {
    let n = this.n;
    for (let i = 0; i < data.length; i++) {
      n += data.charCodeAt(i);
      let h = 0.02519603282416938 * n;
      n = h >>> 0;
      h -= n;
      h *= n;
      n = h >>> 0;
      h -= n;
      n += h * 0x100000000; // 2^32
    }
    this.n = n;
    return (n >>> 0) * 2.3283064365386963e-10; // 2^-32
  }
}
