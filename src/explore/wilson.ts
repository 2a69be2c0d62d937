/** z for a two-sided 95% interval. */
const Z_95 = 1.959963984540054;

export interface RateInterval {
  readonly rate: number;
  readonly low: number;
  readonly high: number;
}

/**
 * Wilson score interval for `successes` out of `trials` (95%): unlike the normal approximation
 * it stays inside [0, 1] and is sensible at 0 and n successes, which is where fuzz rates live.
 */
export function wilsonInterval(successes: number, trials: number, z: number = Z_95): RateInterval {
  if (trials === 0) return { rate: 0, low: 0, high: 1 };
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  // At 0 (or n) successes the bound is exactly 0 (or 1); floating point would leave 1e-17.
  return {
    rate: p,
    low: successes === 0 ? 0 : Math.max(0, centre - half),
    high: successes === trials ? 1 : Math.min(1, centre + half),
  };
}
