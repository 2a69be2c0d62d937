import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../src/engine/event-queue.js';

/** The naive model: a list of live events, popped by smallest (time, insertion order). */
interface ModelEvent {
  readonly id: number;
  timeUs: number;
  order: number;
}

type Command =
  | { readonly op: 'push'; readonly delayUs: number }
  | { readonly op: 'burst'; readonly delaysUs: readonly number[] }
  | { readonly op: 'pop' }
  | { readonly op: 'cancel'; readonly pick: number }
  | { readonly op: 'park-next' }
  | { readonly op: 'unpark'; readonly pick: number; readonly delayUs: number };

// Delays span many of the queue's 8 ms buckets (refills pour several at once), with exact ties;
// 2 097 152 µs is 256 windows: two windows then share a slot of the bucket cache.
const delayArb = fc.oneof(
  fc.constantFrom(0, 1, 1_000, 8_191, 8_192, 8_193, 65_536, 2_097_152, 2_105_344),
  fc.integer({ min: 0, max: 300_000 }),
);
const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 5, arbitrary: delayArb.map((delayUs) => ({ op: 'push', delayUs }) as const) },
  // Bursts keep more events pending than a small simulation has, so refills stay bucketed
  // instead of turning the queue heap-only.
  {
    weight: 1,
    arbitrary: fc
      .array(delayArb, { minLength: 40, maxLength: 120 })
      .map((delaysUs) => ({ op: 'burst', delaysUs }) as const),
  },
  { weight: 4, arbitrary: fc.constant({ op: 'pop' } as const) },
  { weight: 2, arbitrary: fc.nat().map((pick) => ({ op: 'cancel', pick }) as const) },
  { weight: 1, arbitrary: fc.constant({ op: 'park-next' } as const) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.nat(), delayArb)
      .map(([pick, delayUs]) => ({ op: 'unpark', pick, delayUs }) as const),
  },
);

/** Deterministic scrambled integers in [0, span): a linear congruential sequence from `seed`. */
function scrambled(count: number, seed: number, span: number): number[] {
  const values: number[] = [];
  let x = seed;
  for (let i = 0; i < count; i++) {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    values.push(x % span);
  }
  return values;
}

/** The payloads of every event left, in pop order. */
function drainPayloads(queue: EventQueue<number>): number[] {
  const popped: number[] = [];
  while (queue.pop()) popped.push(queue.poppedPayload as number);
  return popped;
}

/** Ids in (time, push order): the order the queue must pop them in. */
function inTimeOrder(events: readonly { readonly timeUs: number; readonly id: number }[]): number[] {
  return [...events].sort((a, b) => a.timeUs - b.timeUs || a.id - b.id).map((e) => e.id);
}

describe('EventQueue', () => {
  it('pops in (time, insertion order) and honours cancel and park, like a sorted list', () => {
    fc.assert(
      fc.property(fc.array(commandArb, { maxLength: 400 }), (commands) => {
        // Arrange
        const queue = new EventQueue<number>(4); // small, so it grows too
        // Cache warming reads owners and targets of poured events; it must not change the order.
        // Even ids carry an owner (a timer's context), odd ones do not (a delivery's, found by target).
        queue.warmer = {
          ownerFor: (target) => ({ id: target }),
          touch: (owner, depth) => (owner as { id: number }).id + depth,
        };
        const model: ModelEvent[] = [];
        const parked: { id: number; handle: number }[] = [];
        const handles = new Map<number, number>(); // id -> handle, for every id ever pushed
        let nowUs = 0;
        let nextId = 0;
        let nextOrder = 0;
        // Act / Assert, command by command
        for (const command of commands) {
          switch (command.op) {
            case 'push':
            case 'burst': {
              for (const delayUs of command.op === 'push' ? [command.delayUs] : command.delaysUs) {
                const id = nextId++;
                handles.set(
                  id,
                  queue.push(nowUs + delayUs, 1, id, 0, 0, 0, id, id % 2 === 0 ? { id } : undefined),
                );
                model.push({ id, timeUs: nowUs + delayUs, order: nextOrder++ });
              }
              break;
            }
            case 'pop':
            case 'park-next': {
              model.sort((x, y) => x.timeUs - y.timeUs || x.order - y.order);
              const expected = model.shift();
              expect(queue.pop()).toBe(expected !== undefined);
              if (expected === undefined) break;
              expect(queue.poppedPayload).toBe(expected.id);
              expect(queue.poppedTime).toBe(expected.timeUs);
              expect(queue.poppedOwner).toEqual(expected.id % 2 === 0 ? { id: expected.id } : undefined);
              nowUs = expected.timeUs;
              if (command.op === 'park-next') {
                const handle = queue.park();
                expect(handle).toBe(handles.get(expected.id));
                parked.push({ id: expected.id, handle });
              }
              break;
            }
            case 'cancel': {
              if (nextId === 0) break;
              const id = command.pick % nextId;
              const index = model.findIndex((e) => e.id === id);
              const parkedIndex = parked.findIndex((p) => p.id === id);
              const cancelled = queue.cancel(handles.get(id) as number);
              expect(cancelled).toBe(index >= 0 || parkedIndex >= 0);
              if (index >= 0) model.splice(index, 1);
              if (parkedIndex >= 0) parked.splice(parkedIndex, 1);
              break;
            }
            case 'unpark': {
              if (parked.length === 0) break;
              const [entry] = parked.splice(command.pick % parked.length, 1);
              if (entry === undefined) break;
              expect(queue.unpark(entry.handle, nowUs + command.delayUs)).toBe(true);
              model.push({ id: entry.id, timeUs: nowUs + command.delayUs, order: nextOrder++ });
              break;
            }
          }
          expect(queue.size).toBe(model.length + parked.length);
        }
        // Drain: everything left comes out in model order.
        model.sort((x, y) => x.timeUs - y.timeUs || x.order - y.order);
        for (const expected of model) {
          expect(queue.pop()).toBe(true);
          expect(queue.poppedPayload).toBe(expected.id);
        }
        expect(queue.pop()).toBe(false);
        expect(queue.peekTime()).toBe(Number.POSITIVE_INFINITY);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps order when sized large from the start (its records then sit in page-aligned memory) and grows past it', () => {
    // Arrange: 40 000 events at pseudo-random times in a queue sized for 20 000 (a Simulation
    // sizes its queue by node count), with ties.
    const queue = new EventQueue<number>(20_000);
    const events = scrambled(40_000, 12_345, 3_000_000).map((timeUs, id) => ({ timeUs, id }));
    for (const e of events) queue.push(e.timeUs, 1, e.id, e.id, 0, 0, e.id);
    // Act
    const popped = drainPayloads(queue);
    // Assert
    expect(popped).toEqual(inTimeOrder(events));
  });

  it('releases a parked event cancelled while parked when it is unparked', () => {
    // Arrange
    const queue = new EventQueue<string>(4);
    queue.push(10, 1, 0, 0, 0, 0, 'a');
    queue.pop();
    const handle = queue.park();
    // Act
    const cancelled = queue.cancel(handle);
    const unparked = queue.unpark(handle, 20);
    // Assert
    expect(cancelled).toBe(true);
    expect(unparked).toBe(false);
    expect(queue.size).toBe(0);
    expect(queue.pop()).toBe(false);
  });

  it('warms every poured event once per depth: its owner, or for an ownerless one the owner its target names', () => {
    // Arrange: 400 events (enough to stay bucketed) a second out, every third without an owner.
    const queue = new EventQueue<number, string>(4);
    const touched: string[][] = [[], []];
    queue.warmer = {
      ownerFor: (target) => `receiver-${target}`,
      touch: (owner, depth) => (touched[depth] as string[]).push(owner),
    };
    const expected: string[] = [];
    scrambled(400, 3, 50_000).forEach((offsetUs, i) => {
      const owner = i % 3 === 0 ? undefined : `owner-${i}`;
      queue.push(1_000_000 + offsetUs, 1, i, 0, 0, 0, i, owner);
      expected.push(owner ?? `receiver-${i}`);
    });
    // Act
    const popped = drainPayloads(queue);
    // Assert
    expect(popped).toHaveLength(400);
    expect([...(touched[0] as string[])].sort()).toEqual([...expected].sort());
    expect([...(touched[1] as string[])].sort()).toEqual([...expected].sort());
  });

  it('narrows its windows for a dense agenda and keeps (time, push order) and cancels across it', () => {
    // Arrange: 6 000 events within 48 ms (~1 000 per 8 ms window), a third of them on shared
    // times (ties must keep push order), and every seventh cancelled.
    const queue = new EventQueue<number>(4);
    const events = scrambled(6_000, 11, 48_000).map((offsetUs, id) => {
      const timeUs = 100_000 + (id % 3 === 0 ? offsetUs - (offsetUs % 500) : offsetUs);
      return { timeUs, id, handle: queue.push(timeUs, 1, id, 0, 0, 0, id) };
    });
    for (const event of events) if (event.id % 7 === 0) expect(queue.cancel(event.handle)).toBe(true);
    // Act
    const popped: number[] = [];
    while (queue.pop()) {
      expect(queue.poppedTarget).toBe(queue.poppedPayload);
      popped.push(queue.poppedPayload as number);
      // Pushed mid-run, into windows already re-keyed: they must interleave in time order too.
      if (popped.length === 1_000)
        for (const extra of [6_000, 6_001]) queue.push(140_000, 1, extra, 0, 0, 0, extra);
    }
    // Assert
    expect(queue.windowWidthUs).toBeLessThan(8_192);
    const expected = [
      ...events.filter((e) => e.id % 7 !== 0),
      { timeUs: 140_000, id: 6_000 },
      { timeUs: 140_000, id: 6_001 },
    ];
    expect(popped).toEqual(inTimeOrder(expected));
  });

  it('keeps time order when a small queue turns heap-only with events still in buckets', () => {
    // Arrange: 40 events 10 ms apart span many 8 ms buckets; the first pop pours some of them.
    const queue = new EventQueue<number>(4);
    for (let i = 1; i <= 40; i++) queue.push(i * 10_000, 1, 0, 0, 0, 0, i * 10_000);
    expect(queue.pop()).toBe(true);
    // Act: an event later than every bucketed one, pushed after the refill.
    queue.push(1_000_000, 1, 0, 0, 0, 0, 1_000_000);
    const times = [queue.poppedTime];
    while (queue.pop()) times.push(queue.poppedTime);
    // Assert
    expect(times).toHaveLength(41);
    expect(times).toEqual([...times].sort((x, y) => x - y));
  });

  it('keeps time order while buckets come and go in a large queue (bucket list compaction)', () => {
    // Arrange: 300 events 10 ms apart, each in its own bucket; popping 50 pours the first ones.
    const queue = new EventQueue<number>(4);
    const pushed: number[] = [];
    const push = (timeUs: number): void => {
      queue.push(timeUs, 1, 0, 0, 0, 0, timeUs);
      pushed.push(timeUs);
    };
    for (let i = 1; i <= 300; i++) push(i * 10_000);
    const times: number[] = [];
    for (let i = 0; i < 50; i++) {
      expect(queue.pop()).toBe(true);
      times.push(queue.poppedTime);
    }
    // Act: new windows past the end (the full bucket list compacts) and between existing ones.
    for (let k = 0; k < 20; k++) push(3_100_000 + k * 10_000);
    for (let k = 0; k < 20; k++) push(1_004_000 + k * 50_000);
    while (queue.pop()) times.push(queue.poppedTime);
    // Assert
    expect(times).toHaveLength(pushed.length);
    expect(times).toEqual([...pushed].sort((x, y) => x - y));
  });

  it('pours a crowded bucket in (time, push order): the radix sort of a pour', () => {
    // Arrange: 500 events in one 8 ms window far ahead, offsets spread over all 13 bits, with ties.
    const queue = new EventQueue<number>(4);
    const windowStartUs = 800 * 8_192;
    const offsets = scrambled(500, 12_345, 8_192);
    const events = offsets.map((offsetUs, id) => ({
      timeUs: windowStartUs + (id % 7 === 0 ? 4_000 : offsetUs),
      id,
    }));
    for (const e of events) queue.push(e.timeUs, 1, 0, 0, 0, 0, e.id);
    // Act
    const popped = drainPayloads(queue);
    // Assert: stable by time, ties in push order.
    expect(popped).toEqual(inTimeOrder(events));
  });

  it('orders fractional times too (the engine counts whole µs, a direct user of the queue may not)', () => {
    // Arrange: one far window holding fractional and whole times, with a tie.
    const queue = new EventQueue<number>(4);
    const times = [100_000.75, 100_000.25, 100_001, 100_000.25, 100_000];
    times.forEach((timeUs, id) => queue.push(timeUs, 1, 0, 0, 0, 0, id));
    // Act
    const popped = drainPayloads(queue);
    // Assert
    expect(popped).toEqual([4, 1, 3, 0, 2]);
  });

  it('keeps time order when cancels compact the heap', () => {
    // Arrange: 200 near events (below the first horizon: all in the heap), in scrambled times.
    const queue = new EventQueue<number>(4);
    const events = scrambled(200, 7, 8_000).map((timeUs, id) => ({
      timeUs,
      id,
      handle: queue.push(timeUs, 1, 0, 0, 0, 0, id),
    }));
    // Act: cancel the earliest third (the heap's top among them: enough cancels to compact the
    // heap, whose new top must then be found again), then drain.
    const byTime = inTimeOrder(events);
    for (const id of byTime.slice(0, 70))
      expect(queue.cancel((events[id] as { handle: number }).handle)).toBe(true);
    const popped = drainPayloads(queue);
    // Assert
    expect(popped).toEqual(byTime.slice(70));
  });

  it('keeps events, handles and order when it grows past 16 384 slots (page-aligned records)', () => {
    // Arrange: 40 000 pending events in scrambled times, so the records move to aligned memory.
    const queue = new EventQueue<number>(4);
    const events = scrambled(40_000, 99, 5_000_000).map((timeUs, id) => ({
      timeUs,
      id,
      handle: queue.push(timeUs, 1, id, 0, 0, 0, id),
    }));
    // Act: handles from before the growth still cancel; then drain.
    for (let id = 0; id < 40_000; id += 5)
      expect(queue.cancel((events[id] as { handle: number }).handle)).toBe(true);
    const popped: number[] = [];
    while (queue.pop()) {
      expect(queue.poppedTarget).toBe(queue.poppedPayload);
      popped.push(queue.poppedPayload as number);
    }
    // Assert
    expect(popped).toEqual(inTimeOrder(events.filter((e) => e.id % 5 !== 0)));
  });
});
