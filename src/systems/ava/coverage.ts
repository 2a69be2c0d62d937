import type { CoverageSpec } from '../system-model.js';
import type { AvaView } from './view.js';

const PROC = ['down', 'up'] as const;
const CONN = ['none', 'live', 'dead', 'several'] as const;
const STREAM = ['stream-mine', 'stream-other', 'stream-none'] as const;
const TICKER = ['ticker', 'no-ticker'] as const;
const ASSIGN = ['owns', 'owns-none'] as const;
const SEES = ['monitors', 'monitors-none'] as const;

const product = (...parts: (readonly string[])[]): string[] =>
  parts.reduce<string[]>(
    (acc, part) => acc.flatMap((a) => part.map((p) => (a === '' ? p : `${a}|${p}`))),
    [''],
  );

/**
 * Ava's abstract states, from the read-only view: per operator process, its process × its
 * connections at the aggregator × whose stream operatorStreams holds for its address × the
 * address's ticker ctx × task assignment × what the operator itself monitors; the aggregator's
 * life; per task, where its assignment points.
 */
export const avaCoverage: CoverageSpec<AvaView> = {
  states: {
    operator: product(PROC, CONN, STREAM, TICKER, ASSIGN, SEES),
    aggregator: ['down', 'up', 'shutdown'],
    task: ['gone', 'unassigned', 'live-owner', 'dead-owner'],
  },
  *observe(view) {
    const engine = view.engine();
    const records = engine === undefined ? [] : [...engine.connections.values()].filter((r) => !r.exited);
    const owners = new Set(engine?.taskAssignments.values() ?? []);
    for (const spec of view.cluster.operators) {
      const process = view.operator(spec.node);
      const mine = records.filter((r) => r.node === spec.node);
      const only = mine.length === 1 ? mine[0] : undefined;
      const conn =
        mine.length === 0 ? 'none' : only === undefined ? 'several' : view.isLive(only) ? 'live' : 'dead';
      const entry = engine?.operatorStreams.get(spec.address);
      const holder = entry === undefined ? undefined : engine?.connections.get(entry.connId);
      const stream =
        holder === undefined ? 'stream-none' : holder.node === spec.node ? 'stream-mine' : 'stream-other';
      const ticker =
        (engine?.trackSyncedTasks.get(spec.address)?.TickerCtx ?? null) === null ? 'no-ticker' : 'ticker';
      const assign = owners.has(spec.address) ? 'owns' : 'owns-none';
      const sees = (process?.localChecks.size ?? 0) > 0 ? 'monitors' : 'monitors-none';
      yield [
        'operator',
        spec.node,
        `${process === undefined ? 'down' : 'up'}|${conn}|${stream}|${ticker}|${assign}|${sees}`,
      ] as const;
    }
    yield [
      'aggregator',
      'aggregator',
      engine === undefined ? 'down' : engine.shutdown ? 'shutdown' : 'up',
    ] as const;
    if (engine === undefined) return;
    const liveAddresses = new Set(records.filter((r) => view.isLive(r)).map((r) => r.address));
    for (const id of view.db().keys()) {
      const owner = engine.taskAssignments.get(id);
      const state = !engine.tasks.has(id)
        ? 'gone'
        : owner === undefined
          ? 'unassigned'
          : liveAddresses.has(owner)
            ? 'live-owner'
            : 'dead-owner';
      yield ['task', id, state] as const;
    }
  },
};
