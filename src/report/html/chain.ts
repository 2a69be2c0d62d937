import type { TraceRecord } from '../../engine/index.js';
import type { Explanation } from '../../run/result.js';

/** Hops walked back from one step of a `why` towards the step before it, at most. */
const HOPS_MAX = 200;

/**
 * The trace events of the causal chains to highlight: every step of each explanation that names
 * a trace event (`WhyStep.seq`), plus the events linking it back to an earlier step along `cause`.
 * A step whose walk back reaches no other step (a root, or a long periodic chain) stays alone, so
 * the highlight never spreads over minutes of heartbeats.
 */
export function chainSeqs(why: readonly Explanation[], bySeq: ReadonlyMap<number, TraceRecord>): Set<number> {
  const chain = new Set<number>();
  for (const explanation of why) {
    const steps = new Set<number>();
    for (const step of explanation.steps) if (step.seq !== undefined) steps.add(step.seq);
    for (const seq of steps) {
      chain.add(seq);
      const path: number[] = [];
      let cause = bySeq.get(seq)?.cause;
      for (let hop = 0; cause !== undefined && hop < HOPS_MAX; hop++) {
        if (steps.has(cause)) {
          for (const linked of path) chain.add(linked);
          break;
        }
        path.push(cause);
        cause = bySeq.get(cause)?.cause;
      }
    }
  }
  return chain;
}
