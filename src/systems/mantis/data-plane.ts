import type { ActorRef, Simulation } from '../../engine/index.js';
import type { WorkerId } from './ids.js';
import type { ConsumerInbox } from './messages.js';
import { observableName, workerLabel } from './ids.js';

/** An established consumer → TE connection; it delivers data while the TE's task binds the port. */
export interface DataConnection {
  readonly consumer: WorkerId;
  readonly consumerRef: ActorRef<ConsumerInbox>;
  /** Where the consumer process runs (its sockets close when that process dies). */
  readonly consumerNode: string;
  readonly host: string;
  /** The worker that accepted the subscription (the TE's current task then; a new task is a new server). */
  readonly served: WorkerId;
  readonly sinceUs: number;
  /** Served by a worker that is not job J, stage s (S1). */
  readonly foreign: boolean;
}

export type ConnectResult = 'established' | 'refused' | 'rejected';

/**
 * The inter-stage data plane as state, not messages. Every worker on a TE binds the same
 * host:sinkPort; the default server (LegacyTcpPushServer) ignores the requested observable name,
 * so whoever binds the port serves A's consumers. Under fix-3 it rejects a foreign name.
 */
export class DataPlane {
  private readonly byConsumer = new Map<ActorRef<ConsumerInbox>, Map<string, DataConnection>>();
  private readonly byHost = new Map<string, Set<DataConnection>>();
  /** Established connections that deliver foreign data, oldest first (S1). */
  readonly foreign = new Set<DataConnection>();
  /** Ground truth: which worker's process binds each TE host's sink port now. */
  private readonly bound = new Map<string, WorkerId>();
  /** (consumer, host) pairs that have been connected before: a new connection is a reconnection. */
  private readonly seenPairs = new Set<string>();
  reconnections = 0;

  constructor(
    private readonly sim: Simulation,
    private readonly nameCheck: boolean,
  ) {}

  /** The worker whose process serves `host:sinkPort` now, if any. */
  servedBy(host: string): WorkerId | null {
    return this.bound.get(host) ?? null;
  }

  /**
   * The TE process on `host` now runs `task` (or nothing): the previous task's server socket
   * closes (every connection to it resets), the new one binds the port.
   */
  bind(host: string, task: WorkerId | null, teRef: ActorRef): void {
    const before = this.bound.get(host) ?? null;
    if (before === task) return;
    if (before !== null) this.hostUnbound(host, teRef);
    if (task === null) this.bound.delete(host);
    else this.bound.set(host, task);
  }

  /** The process on `node` dies: its consumers' sockets close, then its task's server socket. */
  processGone(node: string, teRef: ActorRef): void {
    for (const [consumerRef, mine] of [...this.byConsumer]) {
      const any = mine.values().next();
      if (!any.done && any.value.consumerNode === node) this.consumerGone(consumerRef);
    }
    this.bind(node, null, teRef);
  }

  /** A consumer dials `host:sinkPort` and subscribes with `"<jobId>_<stage-1>"`. */
  connect(
    consumerRef: ActorRef<ConsumerInbox>,
    consumer: WorkerId,
    consumerNode: string,
    host: string,
  ): ConnectResult {
    const served = this.servedBy(host);
    if (served === null) return 'refused';
    if (this.sim.isPaused(host)) return 'refused';
    if (this.sim.partitions.cut(this.sim.nodeIndex(consumerNode), this.sim.nodeIndex(host))) return 'refused';
    const wanted = observableName(consumer.jobId, consumer.stage - 1);
    const offered = observableName(served.jobId, served.stage);
    if (this.nameCheck && wanted !== offered) return 'rejected';
    this.disconnect(consumerRef, host);
    const connection: DataConnection = {
      consumer,
      consumerRef,
      consumerNode,
      host,
      served,
      sinceUs: this.sim.now(),
      foreign: wanted !== offered,
    };
    let mine = this.byConsumer.get(consumerRef);
    if (mine === undefined) this.byConsumer.set(consumerRef, (mine = new Map()));
    mine.set(host, connection);
    let onHost = this.byHost.get(host);
    if (onHost === undefined) this.byHost.set(host, (onHost = new Set()));
    onHost.add(connection);
    if (connection.foreign) this.foreign.add(connection);
    const pair = `${consumerRef}|${host}`;
    if (this.seenPairs.has(pair)) this.reconnections++;
    this.seenPairs.add(pair);
    return 'established';
  }

  isConnected(consumerRef: ActorRef<ConsumerInbox>, host: string): boolean {
    return this.byConsumer.get(consumerRef)?.has(host) ?? false;
  }

  /** The consumer completes an endpoint (ToDeltaEndpointInjector `complete`). */
  disconnect(consumerRef: ActorRef<ConsumerInbox>, host: string): void {
    const mine = this.byConsumer.get(consumerRef);
    const connection = mine?.get(host);
    if (connection === undefined) return;
    mine!.delete(host);
    this.byHost.get(host)?.delete(connection);
    this.foreign.delete(connection);
  }

  /** The consumer process is gone: its sockets close with it. */
  consumerGone(consumerRef: ActorRef<ConsumerInbox>): void {
    const mine = this.byConsumer.get(consumerRef);
    if (mine === undefined) return;
    for (const host of [...mine.keys()]) this.disconnect(consumerRef, host);
    this.byConsumer.delete(consumerRef);
  }

  /**
   * The task on `host` stopped (crash, cancel, shutdown): its server socket is gone, so every
   * connection to it closes and each consumer hears of it (a TCP reset, sent from the host).
   */
  hostUnbound(host: string, from: ActorRef): void {
    const onHost = this.byHost.get(host);
    if (onHost === undefined) return;
    for (const connection of [...onHost]) {
      this.disconnect(connection.consumerRef, host);
      this.sim.send(from, connection.consumerRef, { type: 'DataConnectionClosed', host });
    }
  }

  describe(connection: DataConnection): string {
    return `${workerLabel(connection.served)} of job ${connection.served.jobId}`;
  }
}
