import type { Note } from '../../engine/index.js';
import type { WhyModel } from '../why-model.js';
import { parseMantisVariant } from './variant.js';

/**
 * How a Mantis violation explains itself: the RC assigns a worker to a TE it pooled (a `pool`
 * note the assignment read), a consumer reads what the TE it connects to runs (the TE's last
 * `te` note); scheduler retries, consumer reconnects and heartbeats are routine.
 */
export const mantisWhy: WhyModel = {
  rests: {
    assignment: [{ category: 'pool', entity: 'te' }],
    consumer: [{ category: 'te', entity: 'te' }],
  },
  anchors: { 'crash-detected': ['worker'] },
  quiet: ['span-begin', 'span-end', 'scheduler', 'push'],
  routine: {
    ScheduleRetry: 'scheduler retries',
    ReconnectDue: 'reconnect attempts',
    TaskExecutorHeartbeat: 'heartbeats',
    HeartbeatDue: 'heartbeats',
    WorkerHeartbeat: 'worker heartbeats',
    WorkerHeartbeatDue: 'worker heartbeats',
  },
  say: (note: Note, variant: string): string | undefined =>
    note.category === 'pool' && note.text.endsWith('is in the available pool')
      ? `RC pools ${note.entities.te ?? '?'} (${variant}: ${poolingGuard(variant)})`
      : undefined,
};

/** What guarded the pooling under a variant: the decisive step of the reuse findings. */
function poolingGuard(variant: string): string {
  const v = parseMantisVariant(variant);
  if (v.terminateBeforePooling) return 'after the job acked WorkerTerminate';
  if (v.heartbeatMismatchDetection) return 'after the heartbeat mismatch check';
  if (v.quarantine) return 'after quarantine';
  return 'no mismatch check';
}
