import type { ActorRef, Micros, Simulation, StreamSendResult } from '../../engine/index.js';
import { msToUs } from '../../engine/index.js';
import type { GroundTruth } from './ground-truth.js';
import type { OperatorInbound } from './messages.js';

/** What a Send on a stream does now: the engine's results, or `stalled` (completes later). */
export type AvaSendResult = StreamSendResult | 'stalled';

/**
 * A stalled stream (`stall` action): the link is up but the operator side does not drain it
 * (HTTP/2 flow-control window full, a slow peer), so a Send blocks until the stall ends and
 * then completes. Sends made meanwhile queue behind it, in order.
 */
interface Stall {
  readonly untilUs: Micros;
  readonly queued: {
    readonly from: ActorRef;
    readonly message: OperatorInbound;
    readonly done: ((result: StreamSendResult) => void) | null;
  }[];
}

/**
 * The aggregator → operator direction of the SyncMessages streams, as the network gives it:
 * the engine's stream links plus the flow-control stalls the engine has no notion of (E11).
 * Part of the environment, like the network: the scenario stalls a stream, the model's `Send`
 * goes through here; no invariant reads it.
 */
export class AvaTransport {
  private readonly stalls = new Map<number, Stall>();

  constructor(
    private readonly sim: Simulation,
    private readonly truth: GroundTruth,
  ) {}

  /** The stream stops draining for `forMs`: Sends block until then, and complete then. */
  stall(streamId: number, forMs: number): void {
    const untilUs = this.sim.now() + msToUs(forMs);
    const existing = this.stalls.get(streamId);
    if (existing !== undefined && existing.untilUs >= untilUs) return;
    const stall: Stall = { untilUs, queued: existing?.queued ?? [] };
    this.stalls.set(streamId, stall);
    this.sim.at(untilUs, () => this.endStall(streamId, stall));
  }

  /** Remaining stall of a stream, µs (0 = it drains). */
  stalledForUs(streamId: number): Micros {
    const stall = this.stalls.get(streamId);
    return stall === undefined ? 0 : Math.max(0, stall.untilUs - this.sim.now());
  }

  /**
   * `srv.Send` as the aggregator sees it. On a stalled stream the message waits (in order) and
   * `done` is told the real outcome when the stall ends; the caller decides whether it still
   * waits for it (no timeout) or already gave up (its timeout fired: E11, the Send completes
   * anyway and the message arrives late).
   */
  send(
    streamId: number,
    from: ActorRef,
    message: OperatorInbound,
    done: ((result: StreamSendResult) => void) | null = null,
  ): AvaSendResult {
    const stall = this.stalls.get(streamId);
    if (stall === undefined || this.sim.streamState(streamId) === 'closed')
      return this.sim.streamSend(streamId, from, message);
    stall.queued.push({ from, message, done });
    return 'stalled';
  }

  private endStall(streamId: number, stall: Stall): void {
    if (this.stalls.get(streamId) !== stall) return; // extended by a later stall
    this.stalls.delete(streamId);
    for (const { from, message, done } of stall.queued) {
      const result = this.sim.streamSend(streamId, from, message);
      if (result === 'ok') this.truth.metrics.lateDeliveries++;
      done?.(result);
    }
  }
}
