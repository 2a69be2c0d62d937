import type { BenchOptions, BenchOutcome, BenchRow } from './bench-result.js';
import { runClustersimStorm } from './heartbeat-storm-clustersim.js';
import { runFakeTimersStorm } from './heartbeat-storm-fake-timers.js';
import type { HeartbeatStormRow, StormCounts } from './heartbeat-storm-params.js';
import { toRow } from './heartbeat-storm-params.js';

/** CONTRACT §8: clustersim at three sizes, fake-timers at the two it can do in reasonable time. */
const CLUSTERSIM_EXECUTORS = [1_000, 10_000, 100_000] as const;
const FAKE_TIMERS_EXECUTORS = [1_000, 10_000] as const;
const SEED = 1;

function measure(impl: HeartbeatStormRow['impl'], executors: number, run: () => StormCounts): HeartbeatStormRow {
  const startNs = process.hrtime.bigint();
  const counts = run();
  const wallS = Number(process.hrtime.bigint() - startNs) / 1e9;
  // Taken while the run's world is still reachable, so it counts what the run holds.
  const rssBytes = process.memoryUsage.rss();
  return toRow(impl, executors, counts, wallS, rssBytes);
}

export function heartbeatStormBench(options: BenchOptions): BenchOutcome {
  // Warm-up (not reported) so the first measured row is not mostly JIT compilation.
  runClustersimStorm({ executors: 1_000, seed: SEED + 1, durationUs: 20_000_000 });
  runFakeTimersStorm({ executors: 1_000, seed: SEED + 1, durationUs: 20_000_000 });
  const rows: BenchRow[] = [];
  const emit = (row: HeartbeatStormRow): void => {
    rows.push(row);
    options.onRow(row);
  };
  for (const executors of CLUSTERSIM_EXECUTORS) {
    emit(measure('clustersim', executors, () => runClustersimStorm({ executors, seed: SEED })));
  }
  for (const executors of FAKE_TIMERS_EXECUTORS) {
    emit(measure('fake-timers', executors, () => runFakeTimersStorm({ executors, seed: SEED })));
  }
  return { status: 'done', rows };
}
