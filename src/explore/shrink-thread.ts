import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Scenario } from '../scenario/types.js';
import { isLoadableSystem, pluginFiles } from '../systems/registry.js';
import type { ShrinkOptions, ShrinkResult } from './shrink.js';
import { shrinkScenario } from './shrink.js';

/** What the shrink thread needs: the loaded scenario (plain data, as fuzz workers get it) and the options. */
export interface ShrinkThreadInput {
  readonly scenario: Scenario;
  readonly options: Omit<ShrinkOptions, 'shouldStop'>;
  /** Int32 flag: 1 once the main thread asks the shrink to stop (a signal came). */
  readonly stop: SharedArrayBuffer;
  /** The plug-in modules this thread loaded, in order: the shrink thread loads the same. */
  readonly plugins: readonly string[];
}

export type ShrinkThreadReply =
  | { readonly ok: true; readonly result: ShrinkResult }
  | {
      readonly ok: false;
      readonly error: { readonly name: string; readonly message: string; readonly stack?: string };
    };

/**
 * Runs a shrink in a worker thread, so this thread stays free for signals: `stopRequested` is
 * polled every 50 ms and, once true, the shrink stops at its next candidate and returns what it
 * has (`cut`). Without a compiled worker entry (sources under a test runner) the shrink runs here.
 */
export async function shrinkOffThread(
  scenario: Scenario,
  options: Omit<ShrinkOptions, 'shouldStop'>,
  stopRequested: () => boolean,
): Promise<ShrinkResult> {
  // A model a test registered exists in this thread only.
  const entry = isLoadableSystem(scenario.system) ? shrinkWorkerUrl() : null;
  if (entry === null) return shrinkScenario(scenario, options);
  const stop = new SharedArrayBuffer(4);
  const flag = new Int32Array(stop);
  const input: ShrinkThreadInput = { scenario, options, stop, plugins: pluginFiles() };
  const worker = new Worker(new URL(entry), { workerData: input });
  const poll = setInterval(() => {
    if (stopRequested()) Atomics.store(flag, 0, 1);
  }, 50);
  try {
    const reply = await new Promise<ShrinkThreadReply>((resolvePromise, reject) => {
      worker.once('message', (message: ShrinkThreadReply) => resolvePromise(message));
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the shrink thread exited with code ${code}`)));
    });
    if (!reply.ok) {
      const error = new Error(reply.error.message);
      error.name = reply.error.name;
      if (reply.error.stack !== undefined) error.stack = reply.error.stack;
      throw error;
    }
    return reply.result;
  } finally {
    clearInterval(poll);
    await worker.terminate();
  }
}

function shrinkWorkerUrl(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [
    join(here, 'shrink-worker.js'),
    resolve(here, '../../dist/src/explore/shrink-worker.js'),
  ])
    if (existsSync(candidate)) return pathToFileURL(candidate).href;
  return null;
}
