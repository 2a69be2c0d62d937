import { toChromeTrace } from '../report/perfetto.js';
import { writeFileAtomic } from '../report/write-file.js';
import type { RunResult } from '../run/result.js';
import type { Scenario } from '../scenario/types.js';
import { systemById } from '../systems/registry.js';

/** Full trace records kept for `--trace` (bounded memory; the rest is counted as truncated). */
export const TRACE_CAPTURE_LIMIT = 500_000;

/** `--trace FILE`: the Perfetto / Chrome trace of a run made with `captureLimit: TRACE_CAPTURE_LIMIT`. */
export function writeTraceFile(path: string, result: RunResult, scenario: Scenario): void {
  writeFileAtomic(
    path,
    JSON.stringify(toChromeTrace(result, { nodes: systemById(scenario.system).nodes(scenario.cluster) })),
  );
}
