import { workerData } from 'node:worker_threads';
import { loadSystemModules } from '../systems/plugin-loader.js';
import type { PoolWorkerData } from './pool.js';
import type { WorkerReply, WorkerTask } from './worker-task.js';
import { runWorkerTask } from './worker-task.js';

/** Piscina worker entry (runs from dist/). The campaign's spec arrives once, as workerData. */
const { spec, plugins } = workerData as PoolWorkerData;
// The package root hands itself to plug-ins as `clustersim` (see src/index.ts).
if (plugins.length > 0) await import('../index.js');
loadSystemModules(plugins);

export default function handle(task: WorkerTask): WorkerReply {
  return runWorkerTask(spec, task);
}
