/**
 * A structural guess at smaller clusters, for systems without `shrinkCluster`: every variant of
 * the mapping with one list item removed or one positive integer lowered by one. Most are
 * invalid or unrelated (the loader and the predicate sort that out); the search is greedy, so
 * the order matters: removals of whole list items first (fewer jobs, operators), then counts.
 */
export function shrinkClusterCandidates(source: unknown): unknown[] {
  const removals: unknown[] = [];
  const decrements: unknown[] = [];
  visit(source, (replace, value) => {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) removals.push(replace(value.filter((_, k) => k !== i)));
    } else if (typeof value === 'number' && Number.isInteger(value) && value > 1) {
      decrements.push(replace(value - 1));
    }
  });
  return [...removals, ...decrements];
}

type Replace = (value: unknown) => unknown;

/** Calls `fn` on every node with a function that rebuilds the whole tree with that node replaced. */
function visit(root: unknown, fn: (replace: Replace, value: unknown) => void): void {
  const walk = (value: unknown, rebuild: Replace): void => {
    fn(rebuild, value);
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, (next) => rebuild(value.map((v, k) => (k === i ? next : v)))));
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        walk(item, (next) => rebuild({ ...(value as Record<string, unknown>), [key]: next }));
      }
    }
  };
  walk(root, (next) => next);
}
