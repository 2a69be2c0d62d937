import type { CoverageSpec } from '../system-model.js';
import { sameWorker, workerKey } from './ids.js';
import type { MantisView } from './view.js';

const RC = ['gone', 'unregistered', 'unknown', 'pending', 'quarantined', 'assigned', 'running'] as const;
const PROC = ['down', 'idle', 'runs-rc-worker', 'runs-other'] as const;
const READ = ['unread', 'read-own', 'read-foreign'] as const;
const WORKER = ['Accepted', 'Launched', 'StartInitiated', 'Started', 'Failed', 'Completed'] as const;
const HOLD = ['held-by-rc', 'not-held'] as const;

const product = (...parts: (readonly string[])[]): string[] =>
  parts.reduce<string[]>(
    (acc, part) => acc.flatMap((a) => part.map((p) => (a === '' ? p : `${a}|${p}`))),
    [''],
  );

/**
 * Mantis's abstract states, from the read-only view: per TE node, the RC's view of its id × the
 * process's real state × what consumers read from it (the stage advertised there, and whether the
 * job it belongs to runs there); per active job worker, its state × whether the RC holds it.
 */
export const mantisCoverage: CoverageSpec<MantisView> = {
  states: { te: product(RC, PROC, READ), worker: product(WORKER, HOLD) },
  *observe(view) {
    view.refresh();
    const rc = view.rc();
    const jobs = view.jobs();
    const heldKeys = new Set<string>();
    for (const [node, spec] of view.executorByNode) {
      const state = rc?.esm.states.get(spec.teId);
      const availability = state?.availability ?? null;
      const rcPart =
        rc === undefined
          ? 'gone'
          : state === undefined || !state.registered
            ? 'unregistered'
            : availability === null
              ? 'unknown'
              : availability.kind.toLowerCase();
      const held = state?.workerId ?? null;
      if (held !== null) heldKeys.add(workerKey(held));
      const up = view.te(node) !== undefined;
      const task = view.taskOn(node);
      const proc = !up
        ? 'down'
        : task === null
          ? 'idle'
          : sameWorker(task, held)
            ? 'runs-rc-worker'
            : 'runs-other';
      let read = 'unread';
      for (const [jobId, meta] of jobs)
        for (let stage = 1; stage <= meta.spec.stages.length; stage++)
          if (view.advertised(jobId, stage).has(node))
            read =
              task !== null && task.jobId === jobId && task.stage === stage ? 'read-own' : 'read-foreign';
      yield ['te', node, `${rcPart}|${proc}|${read}`] as const;
    }
    for (const meta of jobs.values())
      for (const record of meta.active.values())
        yield [
          'worker',
          workerKey(record.id),
          `${record.state}|${heldKeys.has(workerKey(record.id)) ? 'held-by-rc' : 'not-held'}`,
        ] as const;
  },
};
