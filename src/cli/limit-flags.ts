import type { Command } from 'commander';
import { parseCount, parseDurationFlag } from '../explore/duration.js';
import type { RunLimits } from '../run/limits.js';
import { DEFAULT_LIMITS } from '../run/limits.js';
import { DURATION_MS_MAX, formatDuration } from '../util/duration.js';

export interface LimitFlags {
  readonly maxEvents?: string;
  readonly maxSimTime?: string;
  readonly maxPending?: string;
}

import { EXIT_LIMIT } from './exit-codes.js';

export { EXIT_LIMIT };

/** `--max-events`, `--max-sim-time`, `--max-pending` (per run; see RunLimits). */
export function addLimitFlags(command: Command): Command {
  return command
    .option(
      '--max-events <n>',
      `per run: stop after this many events, with no verdict (exit ${EXIT_LIMIT}) (default: ${DEFAULT_LIMITS.events})`,
    )
    .option(
      '--max-sim-time <duration>',
      `per run: stop at this simulated time, with no verdict (default: ${formatDuration(DEFAULT_LIMITS.simulatedMs)})`,
    )
    .option(
      '--max-pending <n>',
      `per run: stop when this many events are pending at once (a message storm) (default: ${DEFAULT_LIMITS.pendingEvents})`,
    );
}

export function parseLimitFlags(flags: LimitFlags): RunLimits {
  return {
    events:
      flags.maxEvents === undefined
        ? DEFAULT_LIMITS.events
        : parseCount('--max-events', flags.maxEvents, 1, 1_000_000_000),
    simulatedMs:
      flags.maxSimTime === undefined
        ? DEFAULT_LIMITS.simulatedMs
        : Math.min(DURATION_MS_MAX, parseDurationFlag('--max-sim-time', flags.maxSimTime, 1)),
    pendingEvents:
      flags.maxPending === undefined
        ? DEFAULT_LIMITS.pendingEvents
        : parseCount('--max-pending', flags.maxPending, 1, 100_000_000),
  };
}
