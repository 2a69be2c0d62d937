import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import { pluginFiles } from '../systems/registry.js';
import type { CampaignSpec } from './seed-run.js';
import type { WorkerReply, WorkerTask } from './worker-task.js';
import { runWorkerTask } from './worker-task.js';

/** Runs campaign tasks: in this thread, plus worker threads (piscina) when there are more workers. */
export interface TaskExecutor {
  readonly workers: number;
  /** Whether pool threads have been started (see ExecutorOptions). */
  readonly pooled: boolean;
  run(task: WorkerTask): Promise<WorkerReply>;
  close(): Promise<void>;
}

export interface ExecutorOptions {
  /**
   * How many tasks the caller will run. With it, the pool threads start only once the first
   * task shows the campaign is worth them (see `poolAfterS`); without it, at once.
   */
  readonly expectedTasks?: number;
  /**
   * One-worker seconds below which a campaign stays in this thread: a pool thread boots, imports
   * the model and warms its JIT (~0.4 s on 2 cores) before it helps, so a short campaign is
   * done sooner without it (a 1 000-seed Mantis campaign: 1.6 s alone, 1.7 s with a pool).
   * @defaultValue 2
   */
  readonly poolAfterS?: number;
}

/**
 * What each pool thread gets once: the campaign, and the plug-in modules this thread loaded, in
 * order, so the thread knows exactly the systems this one does (results never depend on `--workers`).
 */
export interface PoolWorkerData {
  readonly spec: CampaignSpec;
  readonly plugins: readonly string[];
}

/** Tasks handed to each pool thread at once: the next one waits in its port, not behind us. */
const TASKS_PER_THREAD = 2;
const DEFAULT_POOL_AFTER_S = 2;

interface Pending {
  readonly task: WorkerTask;
  readonly resolve: (reply: WorkerReply) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * N workers are this thread and N - 1 pool threads. The main thread only drives the campaign
 * (hand-over in seed order, repro files, progress) between tasks, so it is a worker too. Tasks
 * wait here, not in the pool's queue, so whichever worker frees first takes the next one. Which
 * worker runs a task never changes its result: seeds are independent.
 */
export function openExecutor(
  spec: CampaignSpec,
  workers: number,
  options: ExecutorOptions = {},
): TaskExecutor {
  const threads = Math.max(0, Math.floor(workers) - 1);
  const poolAfterS = options.poolAfterS ?? DEFAULT_POOL_AFTER_S;
  // Resolved up front: without the compiled worker entry, more than one worker is an internal
  // error (exit 70), never a campaign quietly run on one thread.
  const filename = threads > 0 ? workerFileUrl() : '';
  let pool: Piscina | null = null;
  // Whether the pool is wanted is known at once without an expected task count, or from the
  // first task's duration with one.
  let decided = threads === 0 || options.expectedTasks === undefined;
  const startPool = (): void => {
    decided = true;
    pool = new Piscina({
      filename,
      workerData: { spec, plugins: pluginFiles() } satisfies PoolWorkerData,
      minThreads: threads,
      maxThreads: threads,
      concurrentTasksPerWorker: TASKS_PER_THREAD,
      idleTimeout: 60_000,
    });
  };
  if (threads > 0 && decided) startPool();
  const waiting: Pending[] = [];
  let poolOutstanding = 0;
  let localBusy = false;
  let tasksRun = 0;
  let closed = false;

  const decide = (firstTaskS: number): void => {
    decided = true;
    const remainingS = firstTaskS * Math.max(0, (options.expectedTasks ?? 0) - tasksRun);
    if (remainingS >= poolAfterS) startPool();
  };

  const pump = (): void => {
    if (closed) return;
    while (pool !== null && poolOutstanding < threads * TASKS_PER_THREAD && waiting.length > 0) {
      const next = waiting.shift() as Pending;
      poolOutstanding++;
      (pool.run(next.task) as Promise<WorkerReply>).then(next.resolve, next.reject).finally(() => {
        poolOutstanding--;
        tasksRun++;
        pump();
      });
    }
    if (localBusy || waiting.length === 0) return;
    const next = waiting.shift() as Pending;
    localBusy = true;
    // setImmediate: SIGINT, worker replies and the progress bar get their turn between tasks.
    setImmediate(() => {
      const startedNs = process.hrtime.bigint();
      try {
        next.resolve(runWorkerTask(spec, next.task));
      } catch (error) {
        next.reject(error);
      }
      localBusy = false;
      tasksRun++;
      if (!decided) decide(Number(process.hrtime.bigint() - startedNs) / 1e9);
      pump();
    });
  };

  return {
    workers: threads + 1,
    get pooled() {
      return pool !== null;
    },
    run: (task) =>
      new Promise<WorkerReply>((resolvePromise, reject) => {
        // A shrink runs for seconds: always worth the pool's start-up.
        if (task.kind === 'shrink' && pool === null && threads > 0) startPool();
        waiting.push({ task, resolve: resolvePromise, reject });
        pump();
      }),
    close: () => {
      // Tasks still waiting were abandoned by the driver (stop-on-first, Ctrl-C): drop them.
      closed = true;
      waiting.length = 0;
      return pool === null ? Promise.resolve() : (pool as Piscina).destroy();
    },
  };
}

/**
 * The compiled worker entry. From dist/ it sits beside this file; from the TypeScript sources
 * (vitest, tsx) it is the build output under dist/ (tests build it: test/built.ts).
 */
export function workerFileUrl(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const beside = join(here, 'fuzz-worker.js');
  if (existsSync(beside)) return pathToFileURL(beside).href;
  const built = resolve(here, '../../dist/src/explore/fuzz-worker.js');
  if (existsSync(built)) return pathToFileURL(built).href;
  throw new Error(`fuzz worker not found at ${beside} or ${built}: run \`npm run build\` first`);
}
