import type { ActorRef, ChangeWatch, Micros, Simulation } from '../../engine/index.js';
import type { AvaCluster, OperatorSpec, TaskSpec } from './cluster.js';
import type { AvaConfig } from './config.js';
import type { Busy, ConnectionRecord } from './connection.js';
import type { DbTask, Engine, OperatorState, StreamEntry } from './engine.js';
import type { OperatorProcess } from './operator.js';

/** Whose state a check derives from: the aggregator process's actors, or the operator processes'. */
export type Side = 'aggregator' | 'operators';

/** A connection as an invariant sees it: the handler's record, read-only. */
export type ConnectionView = Readonly<Omit<ConnectionRecord, 'sent' | 'busy'>> & {
  readonly sent: readonly string[];
  readonly busy: Readonly<Busy> | null;
};

/** The aggregator's Engine as an invariant sees it: its own maps, read-only. */
export interface EngineView {
  readonly tasks: ReadonlyMap<string, TaskSpec>;
  readonly taskAssignments: ReadonlyMap<string, string>;
  readonly operatorStreams: ReadonlyMap<string, StreamEntry>;
  readonly trackSyncedTasks: ReadonlyMap<string, Readonly<OperatorState>>;
  /** Accepted SyncMessages RPCs of this incarnation, by connection id (ascending). */
  readonly connections: ReadonlyMap<number, ConnectionView>;
  readonly shutdown: boolean;
}

/** An operator process as an invariant sees it. */
export type OperatorView = Pick<OperatorProcess, 'spec' | 'currentStream' | 'localChecks' | 'received'>;

/**
 * Connections the checks have seen appear, in order: each address in the order its first
 * connection appeared over the run (so the first of several violations is named the way they
 * came), and callbacks for each new connection (resync-after-reconnect times it).
 */
export class SeenConnections {
  readonly addressOrder: string[] = [];
  readonly onNew: ((record: ConnectionView) => void)[] = [];
  private readonly addresses = new Set<string>();
  private engine: EngineView | undefined = undefined;
  private count = 0;

  /** Takes in the connections `engine` accepted since the last look (cheap when there are none). */
  refresh(engine: EngineView | undefined): void {
    if (engine !== this.engine) {
      this.engine = engine;
      this.count = 0;
    }
    if (engine === undefined || engine.connections.size === this.count) return;
    let index = 0;
    for (const record of engine.connections.values()) {
      if (index++ < this.count) continue;
      if (!this.addresses.has(record.address)) {
        this.addresses.add(record.address);
        this.addressOrder.push(record.address);
      }
      for (const fn of this.onNew) fn(record);
    }
    this.count = engine.connections.size;
  }
}

/**
 * What Ava's invariants read: the actors' own state (the Engine's maps and its handlers'
 * records, each operator process's local checks and stream), the durable DB, and the network
 * facts a check needs. Nothing here writes to a model; nothing in a model reads it. It also
 * carries the checks' own memory for one run (`memories`, `seen`) and their wake-ups.
 */
export class AvaView {
  /** What each invariant remembers over this run, by id (see invariants.ts `remembering`). */
  readonly memories = new Map<string, unknown>();
  readonly seen = new SeenConnections();
  private readonly approvedLower: ReadonlySet<string>;
  private readonly approvedByAddress = new Map<string, boolean>();
  /** Every Ava actor: a change flag when one ran, started or died, or a scenario step ran. */
  private readonly watch: ChangeWatch;
  /** How many times each side's state may have changed (see `generation`). */
  private readonly changes: Record<Side, number> = { aggregator: 0, operators: 0 };
  private readonly derived = new Map<string, { readonly generation: number; readonly value: unknown }>();

  constructor(
    private readonly sim: Simulation,
    readonly cluster: AvaCluster,
    readonly config: AvaConfig,
    private readonly engineRef: ActorRef,
    private readonly operatorRefs: readonly { readonly spec: OperatorSpec; readonly ref: ActorRef }[],
    private readonly durableDb: () => ReadonlyMap<string, Readonly<DbTask>>,
  ) {
    this.approvedLower = new Set(
      cluster.operators.filter((o) => o.approved).map((o) => o.address.toLowerCase()),
    );
    this.watch = sim.watch(() => true);
  }

  /**
   * A number that changes whenever one side's state may have changed since it was last read:
   * an actor of that side ran, started or died, or a scenario step ran (it may touch anything).
   * A check that saw the same number has nothing new to look at on that side.
   */
  generation(side: Side): number {
    const watch = this.watch;
    if (watch.dirty) {
      if (watch.all) {
        this.changes.aggregator++;
        this.changes.operators++;
      } else {
        let aggregator = false;
        let operators = false;
        for (const ref of watch.refs) {
          if (this.sim.nodeOf(ref) === 'aggregator') aggregator = true;
          else operators = true;
        }
        if (aggregator) this.changes.aggregator++;
        if (operators) this.changes.operators++;
      }
      watch.clear();
    }
    return this.changes[side];
  }

  /** `compute()` once per generation of `side`: what checks derive from that side's state. */
  derive<T>(key: string, side: Side, compute: () => T): T {
    const generation = this.generation(side);
    const entry = this.derived.get(key);
    if (entry !== undefined && entry.generation === generation) return entry.value as T;
    const value = compute();
    this.derived.set(key, { generation, value });
    return value;
  }

  now(): Micros {
    return this.sim.now();
  }

  /** The running (or paused) aggregator's Engine; undefined while its process is down. */
  engine(): EngineView | undefined {
    const engine = this.sim.instance<Engine>(this.engineRef);
    this.seen.refresh(engine);
    return engine;
  }

  /** A check runs at `atUs` even if no event falls there (a deadline), after `fn` if given. */
  wakeAt(atUs: Micros, fn?: () => void): void {
    this.sim.at(Math.max(atUs, this.sim.now()), fn ?? noop);
  }

  /** `fn` every `periodUs`, outside the trace, then the checks if it says it changed a verdict (Simulation.sample). */
  sample(periodUs: Micros, fn: () => boolean): void {
    this.sim.sample(periodUs, fn);
  }

  /** The durable task store (BadgerDB): there whether the aggregator runs or not. */
  db(): ReadonlyMap<string, Readonly<DbTask>> {
    return this.durableDb();
  }

  /** Operator processes that run now (paused ones included), in cluster order. */
  operators(): OperatorView[] {
    const running: OperatorView[] = [];
    for (const { ref } of this.operatorRefs) {
      const process = this.sim.instance<OperatorProcess>(ref);
      if (process !== undefined) running.push(process);
    }
    return running;
  }

  operator(node: string): OperatorView | undefined {
    const entry = this.operatorRefs.find((o) => o.spec.node === node);
    return entry === undefined ? undefined : this.sim.instance<OperatorProcess>(entry.ref);
  }

  /** Ground truth of approval (the config list), for approved-only and live-owner. */
  isApproved(address: string): boolean {
    let approved = this.approvedByAddress.get(address);
    if (approved === undefined) {
      approved = this.approvedLower.has(address.toLowerCase());
      this.approvedByAddress.set(address, approved);
    }
    return approved;
  }

  /**
   * The connection really works now: its handler runs, the operator process runs and still
   * reads this stream, and the transport is up and not cut by a partition.
   */
  isLive(record: ConnectionView): boolean {
    const sim = this.sim;
    if (record.exited || !sim.isUp(record.node)) return false;
    if (sim.streamState(record.streamId) !== 'up') return false;
    if (sim.partitions.cut(sim.nodeIndex(record.node), sim.nodeIndex('aggregator'))) return false;
    return this.operator(record.node)?.currentStream() === record.streamId;
  }
}

const noop = (): void => undefined;
