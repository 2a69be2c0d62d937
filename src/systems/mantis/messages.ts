import type { ActorRef } from '../../engine/index.js';
import type { WorkerId } from './ids.js';

/** What a TE reports (TaskExecutorReport): `Available`, or `Occupied(workerId)`. */
export type TaskExecutorReport =
  { readonly kind: 'Available' } | { readonly kind: 'Occupied'; readonly worker: WorkerId };

export const AVAILABLE: TaskExecutorReport = { kind: 'Available' };

/** TaskExecutorRegistration (CORE/TaskExecutorRegistration.java), trimmed to what the model uses. */
export interface Registration {
  readonly teId: string;
  /** Where the RC dials the gateway (taskExecutorAddress): the node of the process that registered. */
  readonly address: string;
  readonly hostname: string;
}

// ---------------------------------------------------------------- TE ↔ RC (ask; replies modelled as messages)

export type TeToRc =
  | { readonly type: 'TaskExecutorRegistration'; readonly registration: Registration }
  | { readonly type: 'TaskExecutorHeartbeat'; readonly teId: string; readonly report: TaskExecutorReport }
  | { readonly type: 'TaskExecutorStatusChange'; readonly teId: string; readonly report: TaskExecutorReport }
  | { readonly type: 'TaskExecutorDisconnection'; readonly teId: string }
  | {
      readonly type: 'SubmitTaskReply';
      readonly requestId: number;
      readonly teId: string;
      readonly worker: WorkerId;
      readonly error: 'TaskAlreadyRunningException' | null;
    };

export type RcToTe =
  | { readonly type: 'RegistrationAck' }
  | { readonly type: 'HeartbeatAck' }
  | {
      readonly type: 'HeartbeatFailure';
      readonly reason:
        'TaskExecutorTaskCancelledException' | 'TaskExecutorNotFoundException' | 'IllegalStateException';
      readonly worker: WorkerId | null;
    }
  | { readonly type: 'SubmitTask'; readonly requestId: number; readonly worker: WorkerId }
  | { readonly type: 'CancelTask'; readonly worker: WorkerId };

// ---------------------------------------------------------------- JobActor → RC / scheduler

export type JobToRc =
  | {
      readonly type: 'ScheduleRequestEvent';
      readonly worker: WorkerId;
      readonly readyAtUs: number;
      readonly pinnedTe: string | null;
    }
  | { readonly type: 'TerminateWorkerRequest'; readonly worker: WorkerId }
  /**
   * Legacy scheduler only (mantis errata 1): a new leader's JobActor re-initialises the RC with a
   * running worker's TE (initializeRunningWorker → InitializeRunningWorkerRequestEvent →
   * ResourceCluster.initializeTaskExecutor).
   */
  | { readonly type: 'InitializeTaskExecutorRequest'; readonly teId: string; readonly worker: WorkerId }
  /** fix-1a-correct: the job has applied (or ignored) a WorkerTerminate for `teId`; the RC may pool it. */
  | { readonly type: 'WorkerTerminateAck'; readonly teId: string; readonly worker: WorkerId };

// ---------------------------------------------------------------- WorkerEvents (3 tell hops to the JobActor)

export type WorkerEvent =
  | {
      readonly type: 'WorkerLaunched';
      readonly worker: WorkerId;
      readonly teId: string;
      readonly hostname: string;
    }
  | { readonly type: 'WorkerLaunchFailed'; readonly worker: WorkerId; readonly error: string }
  | {
      readonly type: 'WorkerTerminate';
      readonly worker: WorkerId;
      readonly finalState: 'Failed';
      readonly reason: string;
      readonly ackFor?: string;
    }
  | { readonly type: 'WorkerHeartbeat'; readonly worker: WorkerId }
  /** fix-1a (eb0e8ad1): non-terminal; `getWorkerId() = previousWorkerId`. */
  | { readonly type: 'TaskExecutorReconnectedEvent'; readonly worker: WorkerId; readonly teId: string };

/**
 * fix-1b / fix-1c / broadcast: "TE `teId` came back idle"; `workers` = the workers the index says
 * this job has there (fix-1c), or null = every worker of the job on that TE (1b, naive).
 */
export interface TaskExecutorReconnected {
  readonly type: 'TaskExecutorReconnected';
  readonly teId: string;
  readonly hostname: string;
  /** fix-1b routes by the previous worker's job cluster; null = every cluster (naive broadcast). */
  readonly cluster: string | null;
  /** fix-1c: target one job. */
  readonly jobId: string | null;
  readonly workers: readonly WorkerId[] | null;
  /** The worker the TE reported on reconnection (Occupied), which the job must not fail; null = Available. */
  readonly reported: WorkerId | null;
}

export type RoutedEvent = WorkerEvent | TaskExecutorReconnected;

// ---------------------------------------------------------------- scheduling info (SSE) and data plane

export interface WorkerHost {
  readonly host: string;
  readonly teId: string;
  readonly worker: WorkerId;
}

/** JobSchedulingInfo: per stage, the Started workers' hosts. `seq` orders the SSE stream. */
export interface JobSchedulingInfo {
  readonly type: 'JobSchedulingInfo';
  readonly jobId: string;
  readonly seq: number;
  readonly stages: ReadonlyMap<number, readonly WorkerHost[]>;
}

export type ConsumerInbox =
  | JobSchedulingInfo
  | { readonly type: 'DataConnectionClosed'; readonly host: string }
  | { readonly type: 'ReconnectDue'; readonly host: string; readonly epoch: number }
  | { readonly type: 'WorkerHeartbeatDue' };

export interface SubscribeSchedulingInfo {
  readonly type: 'SubscribeSchedulingInfo';
  readonly worker: WorkerId;
  readonly subscriber: ActorRef;
}
