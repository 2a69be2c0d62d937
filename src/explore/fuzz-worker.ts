import { workerData } from 'node:worker_threads';
import type { CampaignSpec } from './seed-run.js';
import type { WorkerReply, WorkerTask } from './worker-task.js';
import { runWorkerTask } from './worker-task.js';

/** Piscina worker entry (runs from dist/). The campaign's spec arrives once, as workerData. */
const spec = workerData as CampaignSpec;

export default function handle(task: WorkerTask): WorkerReply {
  return runWorkerTask(spec, task);
}
