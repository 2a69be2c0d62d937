import type { Explanation } from '../run/result.js';

/** The node of the runner's notes for timeline steps (see run-plan.ts). */
const SCENARIO_NODE = 'scenario';

/**
 * A finding's signature (issue #16): its invariant plus the shape of its explanation, entity
 * names and times left out — the kinds of fault or action that started it and the kinds of the
 * system's steps (a note's category), each as a set (how often a node crashed, or in which order
 * two handlers interleaved, does not make another cause), folds and debug notes left out. Two seeds with one signature broke the
 * invariant the same way; a campaign groups its findings by it.
 */
export function signatureOf(explanation: Explanation): string {
  const faults = new Set<string>();
  const kinds: string[] = [];
  for (const step of explanation.steps) {
    if (step.folded !== undefined || step.kind === undefined) continue;
    if (step.node === SCENARIO_NODE) faults.add(step.kind);
    else if (!kinds.includes(step.kind) && !step.kind.startsWith('debug')) kinds.push(step.kind);
  }
  return `${explanation.invariant}: [${[...faults].sort().join(', ')}] ${kinds.sort().join(', ')}`;
}
