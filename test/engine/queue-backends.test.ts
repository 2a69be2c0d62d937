// The tuned queue (event-queue.ts: buckets, radix-sorted pours, window narrowing) against the
// plain one (plain-event-queue.ts, the agenda's semantics): on random workloads, small and dense,
// both must pop the same events in the same order, agree on every cancel, unpark and size, and
// show the same next time. Trace hashes rest on this order.
import { describe, expect, it } from 'vitest';
import type { EventAgenda } from '../../src/engine/event-agenda.js';
import { EventQueue } from '../../src/engine/event-queue.js';
import { PlainEventQueue } from '../../src/engine/plain-event-queue.js';

/** mulberry32: a small seeded generator, so each workload is the same on every run. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Workload {
  /** Events scheduled up front (a world of actors arming their first timers). */
  readonly initial: number;
  readonly steps: number;
  /** Spread of new events' delays, µs (small: same-time ties; large: far buckets). */
  readonly delayUs: number;
}

/** Runs the same random operations on both queues; returns what the tuned one popped, in order. */
function replay(seed: number, workload: Workload): string[] {
  const random = generator(seed);
  const queues: [EventAgenda<string, string>, EventAgenda<string, string>] = [
    new EventQueue<string, string>(64),
    new PlainEventQueue<string, string>(),
  ];
  const handles: [number, number][] = [];
  const parked: [number, number][] = [];
  let now = 0;
  let made = 0;
  const both = <T>(op: (q: EventAgenda<string, string>, side: 0 | 1) => T): T => {
    const [a, b] = [op(queues[0], 0), op(queues[1], 1)];
    if (!Object.is(a, b)) expect(a).toEqual(b); // expect() on every call would dominate the run
    return a;
  };
  const schedule = (): void => {
    const at = now + Math.floor(random() * workload.delayUs) * (random() < 0.3 ? 0 : 1);
    const id = made++;
    const owner = random() < 0.5 ? `owner-${id % 7}` : undefined;
    if (random() < 0.3) {
      both((q) => q.post(at, id % 5, id, id, at, now, `event-${id}`, owner));
      return;
    }
    const pair = [0, 0] as [number, number];
    both((q, side) => {
      pair[side] = q.push(at, id % 5, id, id, at, now, `event-${id}`, owner);
    });
    handles.push(pair);
  };
  const popped: string[] = [];
  for (let i = 0; i < workload.initial; i++) schedule();
  for (let step = 0; step < workload.steps; step++) {
    const roll = random();
    if (roll < 0.45) {
      both((q) => q.peekTime());
      if (!both((q) => q.pop())) continue;
      const event = both((q) =>
        [
          q.poppedTime,
          q.poppedKind,
          q.poppedTarget,
          q.poppedA,
          q.poppedB,
          q.poppedC,
          q.poppedPayload,
          q.poppedOwner,
        ].join(' '),
      );
      now = queues[0].poppedTime;
      popped.push(event);
      if (random() < 0.05) {
        const pair = [0, 0] as [number, number];
        both((q, side) => {
          pair[side] = q.park();
        });
        parked.push(pair);
      } else schedule(); // a heartbeat re-arms
    } else if (roll < 0.8) schedule();
    else if (roll < 0.92 && handles.length > 0) {
      const [a, b] = handles.splice(Math.floor(random() * handles.length), 1)[0]!;
      both((q, side) => q.cancel(side === 0 ? a : b));
    } else if (parked.length > 0) {
      const [a, b] = parked.shift()!;
      const at = now + Math.floor(random() * workload.delayUs);
      if (random() < 0.8) both((q, side) => q.unpark(side === 0 ? a : b, at));
      else both((q, side) => q.discard(side === 0 ? a : b));
    }
    both((q) => q.size);
  }
  while (both((q) => q.pop())) popped.push(queues[0].poppedPayload ?? '');
  return popped;
}

describe('queue backends: tuned against plain', () => {
  it.each([
    {
      name: 'a few actors, events seconds apart',
      seeds: [1, 2, 3],
      initial: 10,
      steps: 2_000,
      delayUs: 3_000_000,
    },
    { name: 'ties: many events at the same times', seeds: [4, 5], initial: 200, steps: 5_000, delayUs: 3 },
    {
      name: 'a dense agenda (buckets, pours, narrowed windows)',
      seeds: [6, 7],
      initial: 20_000,
      steps: 40_000,
      delayUs: 300_000,
    },
  ])('should pop the same events in the same order: $name', ({ seeds, initial, steps, delayUs }) => {
    for (const seed of seeds)
      expect(replay(seed, { initial, steps, delayUs }).length).toBeGreaterThan(initial / 2);
  });

  it('should exercise the tuned queue past its heap-only size (buckets and narrowing run)', () => {
    const queue = new EventQueue<string>(64);
    for (let i = 0; i < 20_000; i++) queue.push(((i * 7919) % 200_000) + 20_000, 0, i, 0, 0, 0, undefined);
    queue.pop();
    expect(queue.windowWidthUs).toBeLessThan(8_192);
  });
});
