import { runClustersimStorm } from './heartbeat-storm-clustersim.js';

/**
 * Prints the trace hash of one heartbeat-storm run as a JSON line. Used to check determinism
 * across processes: `node dist/bench/trace-hash.js --seed 7 --executors 200 --seconds 20`.
 */
function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  if (index < 0) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isSafeInteger(value))
    throw new Error(`trace-hash: --${name} needs an integer, got '${process.argv[index + 1]}'`);
  return value;
}

const seed = flag('seed', 1);
const executors = flag('executors', 200);
const seconds = flag('seconds', 20);
const counts = runClustersimStorm({ executors, seed, durationUs: seconds * 1_000_000 });
process.stdout.write(`${JSON.stringify({ seed, executors, seconds, ...counts })}\n`);
