import type { Simulation } from '../../engine/index.js';
import type { AvaCheckRun } from './invariants.js';
import { avaInvariants, SeenConnections } from './invariants.js';
import type { AvaView } from './view.js';

export { avaInvariants };

/**
 * Installs I1–I11 on a fresh simulation, in list order. A wake-up is a callback event that
 * changes no state: the engine checks every invariant after it, like after any event.
 */
export function installAvaInvariants(sim: Simulation, view: AvaView): void {
  const seen = new SeenConnections(view);
  const noop = (): void => undefined;
  const run: AvaCheckRun = {
    view,
    seen,
    wakeAt: (atUs, fn) => sim.at(Math.max(atUs, sim.now()), fn ?? noop),
  };
  for (const invariant of avaInvariants) {
    const check = invariant.start(run);
    sim.addSafety({
      id: invariant.id,
      check: (nowUs) => {
        // Connections accepted by the event just run, before any check reads them.
        seen.refresh();
        return check(nowUs);
      },
    });
  }
}
