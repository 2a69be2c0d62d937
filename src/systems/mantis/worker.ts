import type { Actor, ActorContext, ActorRef, Envelope } from '../../engine/index.js';
import { assertNever, msToUs } from '../../engine/index.js';
import type { WorkerId } from './ids.js';
import { workerLabel } from './ids.js';
import type { ConsumerInbox, JobSchedulingInfo, RoutedEvent, SubscribeSchedulingInfo } from './messages.js';
import type { MantisEnv } from './env.js';

interface Endpoint {
  connected: boolean;
  backoffMs: number;
  /** Bumped on every (re)schedule so a stale ReconnectDue is ignored. */
  epoch: number;
}

/**
 * A worker process on a TE. Every worker heartbeats its JobActor (HTTP → JobClustersManager →
 * … → JobActor). A stage-(s+1) worker is also a consumer (WorkerExecutionOperationsNetworkStage):
 * it subscribes to scheduling info, diffs stage s's endpoints by host:port:slot (no identity in
 * the key), DROPS an update whose upstream list is empty, and retries refused endpoints.
 */
export class WorkerProcess implements Actor<ConsumerInbox> {
  /** Endpoint set of the upstream stage, keyed by host (one slot per consumer). */
  readonly endpoints = new Map<string, Endpoint>();
  private lastSeq = 0;
  /** This process's own ref, typed by what it takes. */
  private readonly self: ActorRef<ConsumerInbox>;

  constructor(
    private readonly ctx: ActorContext<ConsumerInbox>,
    private readonly env: MantisEnv,
    readonly worker: WorkerId,
    private readonly jcm: ActorRef<RoutedEvent>,
    private readonly jobActor: ActorRef<SubscribeSchedulingInfo>,
  ) {
    this.self = ctx.ref as ActorRef<ConsumerInbox>;
  }

  get isConsumer(): boolean {
    return this.worker.stage > 1;
  }

  onStart(): void {
    this.ctx.every(msToUs(this.env.config.workerHeartbeatInterval), { type: 'WorkerHeartbeatDue' }, 0);
    if (!this.isConsumer) return;
    this.ctx.send(this.jobActor, {
      type: 'SubscribeSchedulingInfo',
      worker: this.worker,
      subscriber: this.self,
    });
  }

  onMessage(message: ConsumerInbox, _envelope: Readonly<Envelope>): void {
    switch (message.type) {
      case 'WorkerHeartbeatDue':
        this.ctx.send(
          this.jcm,
          { type: 'WorkerHeartbeat', worker: this.worker },
          this.env.faults.outboundExtraDelayUs(this.ctx.node, this.ctx.now()),
        );
        return;
      case 'JobSchedulingInfo':
        return this.onSchedulingInfo(message);
      case 'DataConnectionClosed': {
        const endpoint = this.endpoints.get(message.host);
        if (endpoint === undefined) return;
        endpoint.connected = false;
        this.note(
          'consumer',
          `${workerLabel(this.worker)} lost its connection to ${message.host}; retrying`,
          message.host,
        );
        endpoint.backoffMs = this.env.config.consumerReconnectBackoff;
        return this.scheduleRetry(message.host, endpoint);
      }
      case 'ReconnectDue': {
        const endpoint = this.endpoints.get(message.host);
        if (endpoint === undefined || endpoint.epoch !== message.epoch || endpoint.connected) return;
        return this.tryConnect(message.host, endpoint);
      }
      default:
        return assertNever(message);
    }
  }

  private onSchedulingInfo(info: JobSchedulingInfo): void {
    if (info.seq <= this.lastSeq) return; // SSE is an ordered stream
    this.lastSeq = info.seq;
    const upstream = info.stages.get(this.worker.stage - 1) ?? [];
    if (upstream.length === 0) {
      // `.filter(list.size() > 0)`: the consumer keeps its old connections.
      if (this.endpoints.size > 0)
        this.note(
          'consumer',
          `${workerLabel(this.worker)} drops an update with an empty stage-${this.worker.stage - 1} list; keeps ${[...this.endpoints.keys()].join(', ')}`,
        );
      return;
    }
    const wanted = new Set(upstream.map((h) => h.host));
    for (const host of [...this.endpoints.keys()]) {
      if (wanted.has(host)) continue;
      this.endpoints.delete(host);
      this.env.truth.dataPlane.disconnect(this.self, host);
      this.note('consumer', `${workerLabel(this.worker)} completes endpoint ${host}`, host);
    }
    for (const host of wanted) {
      if (this.endpoints.has(host)) continue;
      const endpoint: Endpoint = {
        connected: false,
        backoffMs: this.env.config.consumerReconnectBackoff,
        epoch: 0,
      };
      this.endpoints.set(host, endpoint);
      this.tryConnect(host, endpoint);
    }
  }

  private tryConnect(host: string, endpoint: Endpoint): void {
    const result = this.env.truth.dataPlane.connect(this.self, this.worker, this.ctx.node, host);
    if (result === 'established') {
      endpoint.connected = true;
      endpoint.backoffMs = this.env.config.consumerReconnectBackoff;
      const served = this.env.truth.dataPlane.servedBy(host);
      this.note(
        'consumer',
        `${workerLabel(this.worker)} connected to ${host}${served !== null ? `, served by ${workerLabel(served)}` : ''}`,
        host,
      );
      return;
    }
    if (result === 'rejected')
      this.note(
        'consumer',
        `${workerLabel(this.worker)}: ${host} rejects subscription ${this.worker.jobId}_${this.worker.stage - 1} (fix-3)`,
        host,
      );
    this.scheduleRetry(host, endpoint);
  }

  private scheduleRetry(host: string, endpoint: Endpoint): void {
    endpoint.epoch++;
    this.ctx.after(msToUs(endpoint.backoffMs), { type: 'ReconnectDue', host, epoch: endpoint.epoch });
    endpoint.backoffMs = Math.min(endpoint.backoffMs * 2, this.env.config.consumerReconnectBackoffMax);
  }

  private note(category: string, text: string, host?: string): void {
    const entities: Record<string, string> = { job: this.worker.jobId, consumer: workerLabel(this.worker) };
    if (host !== undefined) entities.te = host;
    this.ctx.note(category, text, entities);
  }
}
