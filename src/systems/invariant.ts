import type { Micros, Simulation, ViolationDetail } from '../engine/index.js';

/**
 * An invariant, declared once per system in the one list (`SystemModel.invariants`) that `list
 * invariants`, `expect` validation, shrink and the runner all read: its id (written once), its
 * kind, what it means, and how it is judged. Both judgements are functions of the system's
 * read-only *view* of its actors' own state (`SystemInstance.view`), never of a copy the actors
 * push: a transition cannot forget to tell the checker.
 *
 * A safety check runs after every event (and every sample, see `Simulation.sample`), so it must
 * be cheap: a view recomputes only what changed (see `Simulation.watch`) and the check reads it.
 * A liveness judgement runs once, at the end of the run.
 */
export type Invariant<View> = SafetyInvariantSpec<View> | LivenessInvariantSpec<View>;

export interface SafetyInvariantSpec<View> {
  readonly id: string;
  readonly kind: 'safety';
  readonly meaning: string;
  /** null while it holds, else what is broken (the same object while the same witness stays). */
  check(view: View, nowUs: Micros): ViolationDetail | null;
}

export interface LivenessInvariantSpec<View> {
  readonly id: string;
  readonly kind: 'liveness';
  readonly meaning: string;
  /** Judged once when the run ends at `endUs`: null when it holds. */
  judge(view: View, endUs: Micros): ViolationDetail | null;
}

/** Installs every invariant of `invariants` on the simulation by kind, in list order, over `view`. */
export function installInvariants<View>(
  sim: Simulation,
  invariants: readonly Invariant<View>[],
  view: View,
): void {
  for (const invariant of invariants) {
    if (invariant.kind === 'safety')
      sim.addSafety({ id: invariant.id, check: (nowUs) => invariant.check(view, nowUs) });
    else sim.addLiveness({ id: invariant.id, judge: (endUs) => invariant.judge(view, endUs) });
  }
}
