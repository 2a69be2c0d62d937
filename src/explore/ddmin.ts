/**
 * Delta debugging (Zeller and Hildebrandt, "Simplifying and Isolating Failure-Inducing Input",
 * 2002): the smallest sub-list of `items` that still makes `fails` true, found by removing
 * chunks, then a final pass of single removals so the result is 1-minimal (no single item can
 * be removed and still fail).
 */
export interface DdminOptions {
  /** Give up (keep the best so far) after this many predicate calls. @defaultValue 5000 */
  readonly testsMax?: number;
}

export interface DdminResult<T> {
  readonly items: T[];
  /** Predicate calls made (cache hits not counted). */
  readonly tests: number;
  /** False when the test budget ran out before the result was shown 1-minimal. */
  readonly minimal: boolean;
}

/**
 * `fails(subset)` must be deterministic; it is never called on the full list (the caller knows
 * the full list fails) and never twice on the same subset. Order of items is kept.
 */
export function ddmin<T>(
  items: readonly T[],
  fails: (subset: T[]) => boolean,
  options: DdminOptions = {},
): DdminResult<T> {
  const testsMax = options.testsMax ?? 5000;
  const cache = new Map<string, boolean>();
  let tests = 0;
  let budgetHit = false;
  // Subsets are index lists into `items`, so the cache key is exact and cheap.
  const test = (indexes: number[]): boolean => {
    const key = indexes.join(',');
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    if (tests >= testsMax) {
      budgetHit = true;
      return false;
    }
    tests++;
    const verdict = fails(indexes.map((i) => items[i] as T));
    cache.set(key, verdict);
    return verdict;
  };

  let current = items.map((_, i) => i);
  let granularity = 2;
  while (current.length >= 2 && !budgetHit) {
    const chunks = split(current, Math.min(granularity, current.length));
    let reduced = false;
    // Try each chunk alone, then each complement (Zeller's "reduce to subset / complement").
    for (const chunk of chunks) {
      if (test(chunk)) {
        current = chunk;
        granularity = 2;
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      for (let c = 0; c < chunks.length; c++) {
        const complement = chunks.filter((_, k) => k !== c).flat();
        if (complement.length > 0 && test(complement)) {
          current = complement;
          granularity = Math.max(granularity - 1, 2);
          reduced = true;
          break;
        }
      }
    }
    if (reduced) continue;
    if (granularity >= current.length) break;
    granularity = Math.min(granularity * 2, current.length);
  }
  if (current.length === 1 && !budgetHit && test([])) current = [];
  // ddmin ends 1-minimal when it finished at full granularity; this pass makes it explicit
  // (and covers an early stop): remove single items until none can go.
  let changed = true;
  while (changed && !budgetHit) {
    changed = false;
    for (let k = 0; k < current.length; k++) {
      const without = current.filter((_, j) => j !== k);
      if (test(without)) {
        current = without;
        changed = true;
        break;
      }
    }
  }
  return { items: current.map((i) => items[i] as T), tests, minimal: !budgetHit };
}

/** `list` cut into `n` contiguous chunks whose sizes differ by at most one. */
function split(list: number[], n: number): number[][] {
  const chunks: number[][] = [];
  let start = 0;
  for (let k = 0; k < n; k++) {
    const size = Math.floor((list.length - start) / (n - k));
    chunks.push(list.slice(start, start + size));
    start += size;
  }
  return chunks.filter((c) => c.length > 0);
}
