import FakeTimers from '@sinonjs/fake-timers';
import { Rng } from '../src/engine/index.js';
import type { StormCounts } from './heartbeat-storm-params.js';
import { STORM } from './heartbeat-storm-params.js';

/**
 * The same heartbeat-storm on @sinonjs/fake-timers, the usual way to fake time in a Node test:
 * one `setTimeout` per beat and one per delivery. Draws come from the same kind of seeded
 * streams so both implementations do the same work. fake-timers counts milliseconds; fractional
 * delays are kept as they are.
 */
export function runFakeTimersStorm(options: {
  executors: number;
  seed: number;
  durationUs?: number;
}): StormCounts {
  const clock = FakeTimers.createClock(0, 1_000_000_000);
  const usToMs = (us: number): number => us / 1000;
  const executors = options.executors;
  const lastSeenMs = new Float64Array(executors);
  const suspected = new Uint8Array(executors);
  const rngs: Rng[] = [];
  const latency = new Rng(options.seed, 'net/latency');
  let beats = 0;
  let events = 0;
  let crashes = 0;
  let staleMarks = 0;

  const deliver = (arg: unknown): void => {
    const executor = arg as number;
    events++;
    lastSeenMs[executor] = clock.now;
    suspected[executor] = 0;
    beats++;
  };
  const beat = (arg: unknown): void => {
    const executor = arg as number;
    events++;
    const rng = rngs[executor] as Rng;
    clock.setTimeout(deliver, usToMs(latency.range(STORM.latencyUs[0], STORM.latencyUs[1])), executor);
    if (rng.chance(STORM.crashProbabilityPerBeat)) {
      crashes++;
      clock.setTimeout(beat, usToMs(STORM.restartAfterUs), executor);
      return;
    }
    clock.setTimeout(beat, usToMs(STORM.beatPeriodUs + rng.range(0, STORM.jitterUs)), executor);
  };
  const sweep = (): void => {
    events++;
    const nowMs = clock.now;
    for (let i = 0; i < executors; i++) {
      if (suspected[i] === 0 && nowMs - (lastSeenMs[i] as number) > usToMs(STORM.staleAfterUs)) {
        suspected[i] = 1;
        staleMarks++;
      }
    }
  };

  clock.setInterval(sweep, usToMs(STORM.sweepPeriodUs));
  for (let i = 0; i < executors; i++) {
    const rng = new Rng(options.seed, `e${i}/executor/heartbeat`);
    rngs.push(rng);
    clock.setTimeout(beat, usToMs(rng.range(0, STORM.firstBeatUs)), i);
  }
  clock.tick(usToMs(options.durationUs ?? STORM.durationUs));
  return { beats, events, crashes, staleMarks, traceHash: null };
}
