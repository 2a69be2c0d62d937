import type { Scenario } from '../scenario/types.js';
import type { PlanStep } from '../systems/system-model.js';

type Fails = (candidate: Scenario) => boolean;

/**
 * The largest whole number of seconds in [0, maxS] for which `candidate(s)` fails, by binary
 * search (it assumes failing is monotone in s, and checks every value it keeps); 0 when none.
 */
function largestFailing(maxS: number, candidate: (s: number) => Scenario, fails: Fails): number {
  let lowS = 1;
  let highS = maxS;
  let best = 0;
  while (lowS <= highS) {
    const midS = Math.floor((lowS + highS) / 2);
    if (fails(candidate(midS))) {
      best = midS;
      lowS = midS + 1;
    } else highS = midS - 1;
  }
  return best;
}

const shifted = (scenario: Scenario, byMs: number, from = 0): Scenario => ({
  ...scenario,
  timeline: scenario.timeline.map((s, k) => (k >= from ? { ...s, atMs: s.atMs - byMs } : s)),
});

/**
 * Moves the timeline earlier while the run still fails the same way: first every step together
 * (their spacing is often what matters: a restart a minute after its crash), then each step and
 * those after it towards the step before. Whole seconds, so the file stays readable; the steps'
 * order never changes. Returns the scenario and how far the last step moved.
 */
export function moveStepsEarlier(scenario: Scenario, fails: Fails): { scenario: Scenario; movedMs: number } {
  const lastOf = (s: Scenario): number => s.timeline.reduce((m, step) => Math.max(m, step.atMs), 0);
  const lastBefore = lastOf(scenario);
  let current = scenario;
  for (let i = 0; i < current.timeline.length; i++) {
    const step = current.timeline[i] as PlanStep;
    const previousMs = i > 0 ? (current.timeline[i - 1] as PlanStep).atMs : 0;
    const maxS = Math.floor((step.atMs - previousMs) / 1000);
    if (maxS < 1) continue;
    const base = current;
    const byS = largestFailing(maxS, (s) => shifted(base, s * 1000, i), fails);
    if (byS > 0) current = shifted(base, byS * 1000, i);
  }
  return { scenario: current, movedMs: lastBefore - lastOf(current) };
}

/**
 * `restart` of a node that is running at that moment (no `crash` of it since its last start):
 * the restart implies its crash. One line each, for the shrunk file's header.
 */
export function impliedCrashes(timeline: readonly PlanStep[], format: (ms: number) => string): string[] {
  const down = new Set<string>();
  const lines: string[] = [];
  for (const step of timeline) {
    if (typeof step.args !== 'string') continue;
    if (step.action === 'crash') down.add(step.args);
    else if (step.action === 'restart') {
      if (!down.has(step.args))
        lines.push(
          `restart ${step.args} at ${format(step.atMs)}: ${step.args} was running, so the restart implies its crash at that instant (the process dies and comes back under the same id)`,
        );
      down.delete(step.args);
    }
  }
  return lines;
}

/** The goal for a shrunk repro (issue #16): its run lasts at most twice the time of its last step. */
export function tailIsShort(scenario: Scenario): boolean {
  const lastMs = scenario.timeline.reduce((m, step) => Math.max(m, step.atMs), 0);
  return scenario.durationMs <= 2 * lastMs;
}

/**
 * Moves every step later, keeping the duration, as far as the run still fails: when the
 * violation waits for a periodic event (a retry every 60 s), steps moved early leave a long quiet
 * tail; moved back up to the violation, the repro reads from its last step straight to it.
 */
export function moveStepsLater(scenario: Scenario, fails: Fails): { scenario: Scenario; movedMs: number } {
  const lastMs = scenario.timeline.reduce((m, step) => Math.max(m, step.atMs), 0);
  const maxS = Math.floor((scenario.durationMs - lastMs) / 1000) - 1;
  if (scenario.timeline.length === 0 || maxS < 1) return { scenario, movedMs: 0 };
  const byS = largestFailing(maxS, (s) => shifted(scenario, -s * 1000), fails);
  return { scenario: byS > 0 ? shifted(scenario, -byS * 1000) : scenario, movedMs: byS * 1000 };
}
