import type { Capabilities, Trigger } from './cluster.js';

/** `SyncMessagesReq` (protobuf/node.proto): the operator opens the stream with it. */
export interface SyncMessagesReq {
  readonly type: 'SyncMessagesReq';
  readonly address: string;
  readonly monotonicClock: number;
  readonly capabilities: Capabilities;
}

/** `SyncMessagesResp` with op MonitorTaskTrigger (ticker path, full metadata). */
export interface MonitorTaskTrigger {
  readonly type: 'MonitorTaskTrigger';
  readonly taskId: string;
  readonly trigger: Trigger;
  /** Connection id it was sent on (bookkeeping only; the real message has no such field). */
  readonly connId: number;
}

/** Batched notification: `SyncMessagesResp{op: CancelTask | DeleteTask}`. */
export interface TaskOperation {
  readonly type: 'CancelTask' | 'DeleteTask';
  readonly taskId: string;
}

/**
 * `NotifyTriggersReq{address, signature, task_id, trigger_type, trigger_output}` (unary RPC): an
 * operator's check fired. Only address and task matter to assignment state.
 */
export interface NotifyTriggersReq {
  readonly type: 'NotifyTriggers';
  readonly address: string;
  readonly taskId: string;
}

/**
 * How the server side of the RPC ended, as the client's Recv sees it [runtime]: the handler
 * returned nil → io.EOF; returned an error → a status error; rejected by the HEAD cooldown →
 * ResourceExhausted; transport gone → Unavailable.
 */
export interface StreamEnded {
  readonly type: 'StreamEnded';
  readonly code: StreamEndCode;
}
export type StreamEndCode = 'EOF' | 'Unavailable' | 'ResourceExhausted';

export type OperatorInbound = MonitorTaskTrigger | TaskOperation | StreamEnded;

// Typed constructors: the engine's send takes any Message, so build them here to keep their shape checked.
export const monitorTaskTrigger = (taskId: string, trigger: Trigger, connId: number): MonitorTaskTrigger => ({
  type: 'MonitorTaskTrigger',
  taskId,
  trigger,
  connId,
});
export const taskOperation = (op: TaskOperation['type'], taskId: string): TaskOperation => ({
  type: op,
  taskId,
});
export const streamEnded = (code: StreamEndCode): StreamEnded => ({ type: 'StreamEnded', code });
export const notifyTriggersReq = (address: string, taskId: string): NotifyTriggersReq => ({
  type: 'NotifyTriggers',
  address,
  taskId,
});
export const syncMessagesReq = (
  address: string,
  monotonicClock: number,
  capabilities: Capabilities,
): SyncMessagesReq => ({
  type: 'SyncMessagesReq',
  address,
  monotonicClock,
  capabilities,
});
