import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import type { CampaignSpec } from './seed-run.js';
import type { WorkerReply, WorkerTask } from './worker-task.js';
import { runWorkerTask } from './worker-task.js';

/** Runs campaign tasks: on worker threads (piscina), or in this thread with one worker. */
export interface TaskExecutor {
  readonly workers: number;
  run(task: WorkerTask): Promise<WorkerReply>;
  close(): Promise<void>;
}

export function openExecutor(spec: CampaignSpec, workers: number): TaskExecutor {
  if (workers <= 1) return inProcessExecutor(spec);
  const pool = new Piscina({
    filename: workerFileUrl(),
    workerData: spec,
    minThreads: workers,
    maxThreads: workers,
    // One task per worker at a time: the driver already keeps every worker busy.
    concurrentTasksPerWorker: 1,
    idleTimeout: 60_000,
  });
  return {
    workers,
    run: (task) => pool.run(task) as Promise<WorkerReply>,
    close: () => pool.destroy(),
  };
}

function inProcessExecutor(spec: CampaignSpec): TaskExecutor {
  return {
    workers: 1,
    // setImmediate between tasks lets SIGINT and the progress bar in between batches.
    run: (task) =>
      new Promise((resolvePromise, reject) =>
        setImmediate(() => {
          try {
            resolvePromise(runWorkerTask(spec, task));
          } catch (error) {
            reject(error);
          }
        }),
      ),
    close: () => Promise.resolve(),
  };
}

/**
 * The compiled worker entry. From dist/ it sits beside this file; from the TypeScript sources
 * (vitest, tsx) it is the build output under dist/, so tests need `npm run build` first.
 */
export function workerFileUrl(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const beside = join(here, 'fuzz-worker.js');
  if (existsSync(beside)) return pathToFileURL(beside).href;
  const built = resolve(here, '../../dist/src/explore/fuzz-worker.js');
  if (existsSync(built)) return pathToFileURL(built).href;
  throw new Error(`fuzz worker not found at ${beside} or ${built}: run \`npm run build\` first`);
}
