import { parentPort, workerData } from 'node:worker_threads';
import { loadSystemModules } from '../systems/plugin-loader.js';
import { shrinkScenario } from './shrink.js';
import type { ShrinkThreadInput, ShrinkThreadReply } from './shrink-thread.js';

/** Worker entry of `clustersim shrink` (see shrink-thread.ts); runs from dist/. */
const input = workerData as ShrinkThreadInput;
const flag = new Int32Array(input.stop);
// The package root hands itself to plug-ins as `clustersim` (see src/index.ts).
if (input.plugins.length > 0) await import('../index.js');
let reply: ShrinkThreadReply;
try {
  loadSystemModules(input.plugins);
  const result = shrinkScenario(input.scenario, {
    ...input.options,
    shouldStop: () => Atomics.load(flag, 0) === 1,
  });
  reply = { ok: true, result };
} catch (error) {
  const e = error instanceof Error ? error : new Error(String(error));
  reply = {
    ok: false,
    error: { name: e.name, message: e.message, ...(e.stack !== undefined ? { stack: e.stack } : {}) },
  };
}
parentPort?.postMessage(reply);
