/**
 * Baagøe's Alea generator, seeded exactly as seedrandom's `alea` (node_modules/seedrandom/lib/
 * alea.js, MIT, Copyright (C) 2010 Johannes Baagøe): the same seed string gives the same draws,
 * bit for bit (test/engine/random.test.ts checks it against seedrandom).
 *
 * Ported so that a stream's state can live as small integers inside the `Rng` object itself (see
 * random.ts). Alea's three state numbers are fractions with 32 bits (multiples of 2^-32), so each
 * is exactly an unsigned 32-bit integer `s * 2^32`, and one step is exact integer arithmetic:
 * `x = 2091639 * S0 + c` stays below 2^53, `c' = floor(x / 2^32)`, `S2' = x mod 2^32`. That
 * equals seedrandom's floating-point step bit for bit: there `t = 2091639 * s0 + c * 2^-32` is
 * exact too (a 21-bit integer times a 32-bit fraction, plus a multiple of 2^-32, below 2^21).
 */
export const ALEA_MULTIPLIER = 2091639;
export const TWO_POW_32 = 4294967296;
export const TWO_POW_MINUS_32 = 2.3283064365386963e-10;

/**
 * The initial state for a seed string: [S0, S1, S2] as unsigned 32-bit integers (c starts at 1).
 * An array seeds as the concatenation of its parts, without building that string (an actor's
 * stream is seeded from `<seed>/<node>/<actor>/<name>` in parts: see `Rng`'s `owner`).
 */
export function aleaSeed(seed: string | readonly string[]): [number, number, number] {
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
  // Each is a multiple of 2^-32 in [0, 1): scaling is exact.
  return [s0 * TWO_POW_32, s1 * TWO_POW_32, s2 * TWO_POW_32];
}

class Mash {
  private n = 0xefc8249d;

  hash(data: string | readonly string[]): number {
    let n = this.n;
    if (typeof data === 'string') n = mashInto(n, data);
    else for (const part of data) n = mashInto(n, part);
    this.n = n;
    return (n >>> 0) * TWO_POW_MINUS_32;
  }
}

function mashInto(state: number, data: string): number {
  let n = state;
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
  return n;
}
