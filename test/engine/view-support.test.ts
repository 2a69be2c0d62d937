import { describe, expect, it } from 'vitest';
import type { Seen } from './helpers.js';
import { contextOf, makeSim, puppet, recorder } from './helpers.js';

describe('change watches (a view recomputes only what changed)', () => {
  it('flags a watched actor when its handler runs, and not an unwatched one', () => {
    // Arrange: b is watched, c is not; a sends to c at 1 ms and to b at 2 ms.
    const sim = makeSim(['a', 'b', 'c']);
    const a = puppet(sim, 'a', 'a');
    const b = recorder(sim, 'b', 'b', []);
    const c = recorder(sim, 'c', 'c', []);
    const watch = sim.watch((_node, actor) => actor === 'b');
    sim.startAll();
    watch.clear();
    sim.at(1_000, () => contextOf(sim, a).send(c, { type: 'x' }));
    // Act: up to c's delivery (6 ms), then b's (7 ms).
    sim.runUntil(1_000);
    watch.clear(); // the callback flagged everything
    sim.runUntil(6_500);
    const afterC = [...watch.refs];
    contextOf(sim, a).send(b, { type: 'y' });
    sim.runUntil(20_000);
    // Assert
    expect(afterC).toEqual([]);
    expect(watch.all).toBe(false);
    expect(watch.refs).toEqual([b]);
  });

  it('flags an actor on spawn and on a crash, and everything after a scenario callback', () => {
    // Arrange
    const sim = makeSim(['a', 'b']);
    const b = recorder(sim, 'b', 'b', []);
    puppet(sim, 'a', 'a');
    const watch = sim.watch((node) => node === 'b');
    sim.startAll();
    expect(watch.refs).toEqual([b]);
    watch.clear();
    // Act
    sim.at(1_000, () => sim.crash('b'));
    sim.runUntil(2_000);
    // Assert: the crash was a callback (all), and it retired b (flagged).
    expect(watch.all).toBe(true);
    expect(watch.refs).toEqual([b]);
  });

  it('covers actors whose refs are made after the watch (run-time spawns)', () => {
    const sim = makeSim(['a']);
    const watch = sim.watch((_node, actor) => actor.startsWith('job-'));
    const a = puppet(sim, 'a', 'a');
    sim.startAll();
    watch.clear();
    const job = contextOf(sim, a).spawn('job-1', () => ({ onMessage: () => undefined }));
    expect(watch.refs).toEqual([job]);
  });
});

describe('samplers (periodic checks outside the trace)', () => {
  it('runs at its period after the events of that time and leaves the trace alone', () => {
    // Arrange: the same world twice, once with a 1 s sampler.
    const run = (withSampler: boolean): { hash: string; events: number; samples: number[] } => {
      const sim = makeSim(['a', 'b']);
      const log: Seen[] = [];
      recorder(sim, 'b', 'b', log, undefined, (ctx) => ctx.every(700_000, { type: 'tick' }));
      puppet(sim, 'a', 'a');
      const samples: number[] = [];
      if (withSampler) sim.sample(1_000_000, (nowUs) => samples.push(nowUs) > 0);
      sim.startAll();
      sim.runUntil(3_500_000);
      return { hash: sim.traceHash(), events: sim.eventsRun, samples };
    };
    // Act
    const plain = run(false);
    const sampled = run(true);
    // Assert
    expect(sampled.samples).toEqual([1_000_000, 2_000_000, 3_000_000]);
    expect(sampled.hash).toBe(plain.hash);
    expect(sampled.events).toBe(plain.events);
  });

  it('checks the safety invariants after a sample that says it changed something, at its time', () => {
    const sim = makeSim(['a']);
    puppet(sim, 'a', 'a');
    let samples = 0;
    let flagged = 0;
    // Counts every sample, but reports a change only from the third one on.
    sim.sample(1_000_000, () => ++samples >= 3);
    sim.addSafety({
      id: 'two-samples',
      check: () => {
        if (samples >= 2) flagged++;
        return samples >= 2 ? { message: 'two' } : null;
      },
    });
    const starts: number[] = [];
    sim.addViolationListener((_id, _detail, atUs) => starts.push(atUs));
    sim.startAll();
    sim.runUntil(3_500_000);
    // The second sample changed the state silently: the checks wait for the third, which says so.
    expect(starts).toEqual([3_000_000]);
    expect(flagged).toBe(1);
  });

  it('runs an event a sampler posts at its own time before any later sample', () => {
    // Arrange: the first sample posts an event at that instant (a check's deadline found late).
    const sim = makeSim(['a']);
    const order: string[] = [];
    sim.sample(1_000_000, (nowUs) => {
      order.push(`sample ${nowUs}`);
      if (nowUs === 1_000_000) sim.at(nowUs, () => void order.push(`event ${sim.now()}`));
      return false;
    });
    sim.startAll();
    // Act: nothing else is queued, so every sample runs from the end-of-run path.
    sim.runUntil(3_000_000);
    // Assert
    expect(order).toEqual(['sample 1000000', 'event 1000000', 'sample 2000000', 'sample 3000000']);
  });

  it('sees the state after every event at its own time', () => {
    const sim = makeSim(['a']);
    let value = 0;
    sim.at(1_000, () => void (value = 1));
    const seen: number[] = [];
    sim.sample(1_000, () => seen.push(value) > 0);
    sim.startAll();
    sim.runUntil(1_000);
    expect(seen).toEqual([1]);
  });
});

describe('violation listeners', () => {
  it('calls every listener, in the order added, at each episode start', () => {
    const sim = makeSim(['a']);
    let broken = false;
    sim.addSafety({ id: 'flag', check: () => (broken ? { message: 'broken' } : null) });
    const calls: string[] = [];
    sim.addViolationListener((id, _detail, atUs) => calls.push(`first ${id} ${atUs}`));
    sim.addViolationListener((id) => calls.push(`second ${id}`));
    sim.at(2_000, () => void (broken = true));
    sim.startAll();
    sim.runUntil(5_000);
    expect(calls).toEqual(['first flag 2000', 'second flag']);
  });
});
