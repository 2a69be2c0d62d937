import type { Micros } from '../../engine/index.js';
import type { Capabilities } from './cluster.js';
import type { GroundTruth } from './ground-truth.js';

/**
 * What a StreamCheckToOperator goroutine is in the middle of, since when: its tick body (the
 * in-memory steps), the sends that body queued, or its deferred cleanup. tick-progress reads it.
 */
export interface Busy {
  readonly part: 'tick body' | 'sends' | 'deferred cleanup';
  readonly sinceUs: Micros;
  /** MonitorTaskTrigger sends the tick body queued (part `sends`). */
  readonly sends: number;
  /** Set once the goroutine parked for good: where, and what it waits for. */
  parked: { readonly where: string; readonly waitsFor: string; readonly holder: string } | null;
}

/**
 * One accepted SyncMessages RPC: the server stream `srv` and the state of the handler goroutine
 * serving it. Written by that handler (and by the engine's broadcast, which also Sends on
 * `srv`); the engine keeps one per accepted connection of its incarnation.
 */
export interface ConnectionRecord {
  readonly id: number;
  /** `c3`: the goroutine's name, how notes and violations name it. */
  readonly name: string;
  readonly address: string;
  /** The operator process at the other end of the transport (the peer of the TCP connection). */
  readonly node: string;
  readonly streamId: number;
  readonly acceptedAtUs: Micros;
  readonly capabilities: Capabilities;
  /** Its tickerCtx was cancelled by a newer connect (never in PRE, which has no tickerCtx). */
  cancelled: boolean;
  exited: boolean;
  /** Parked for good on assignmentMutex (or a blocking Send): never returns. */
  parked: boolean;
  /** Tasks of the MonitorTaskTrigger Sends that returned ok on `srv`, in order (late ones too). */
  readonly sent: string[];
  busy: Busy | null;
}

/** A MonitorTaskTrigger Send on `srv` returned ok (or completed late): the connection's log of sends. */
export function recordSent(record: ConnectionRecord, taskId: string, truth: GroundTruth): void {
  truth.metrics.monitorSends++;
  truth.metrics.tasksSynced++;
  record.sent.push(taskId);
}
