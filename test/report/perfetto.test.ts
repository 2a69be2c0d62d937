import { Chalk } from 'chalk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPlan } from '../../src/run/run-plan.js';
import { compilePlan } from '../../src/scenario/compile.js';
import { parseScenario } from '../../src/scenario/load.js';
import { toChromeTrace } from '../../src/report/perfetto.js';
import { renderRunText } from '../../src/report/run-text.js';
import { runResultToJson } from '../../src/report/run-json.js';
import { registerSystemForTests } from '../../src/systems/registry.js';
import { toyModel } from '../scenario/toy-model.js';

let unregister: () => void = () => undefined;
beforeAll(() => {
  unregister = registerSystemForTests(toyModel as never);
});
afterAll(() => unregister());

const SCENARIO =
  'name: crashy\nsystem: toy\nduration: 1m\ncluster: { workers: 2 }\ntimeline:\n  - at: 10s\n    crash: w1\n  - at: 20s\n    restart: w1\n  - at: 40s\n    pause: { node: w2, for: 5s }\n';

function run(captureLimit?: number) {
  const plan = compilePlan(parseScenario(SCENARIO, 'crashy.yaml'), { seed: 1 });
  return runPlan(plan, captureLimit !== undefined ? { captureLimit } : {});
}

interface Ev {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts?: number;
  dur?: number;
  id?: number;
  args?: Record<string, unknown>;
}

describe('Perfetto / Chrome trace export', () => {
  it('should give each node a process with named threads, process lifetimes, flows and violation markers', () => {
    // Arrange
    const result = run(100_000);
    // Act
    const trace = JSON.parse(JSON.stringify(toChromeTrace(result, { nodes: ['hub', 'w1', 'w2'] }))) as {
      traceEvents: Ev[];
    };
    const events = trace.traceEvents;
    const processName = (pid: number): unknown =>
      events.find((e) => e.ph === 'M' && e.name === 'process_name' && e.pid === pid)?.args?.name;
    const pidOf = (name: string): number =>
      events.find((e) => e.ph === 'M' && e.name === 'process_name' && e.args?.name === name)?.pid ?? -1;
    // Assert: tracks
    expect([1, 2, 3].map(processName)).toEqual(['hub', 'w1', 'w2']);
    const threads = events
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === pidOf('w1'))
      .map((e) => e.args?.name);
    expect(threads).toEqual(expect.arrayContaining(['process', 'notes', 'agent', 'worker']));
    // Assert: w1 lives 0–10 s, then again from 20 s to the end (ts in simulated µs)
    const lives = events
      .filter((e) => e.ph === 'X' && e.pid === pidOf('w1') && e.name.startsWith('w1 #'))
      .map((e) => [e.name, e.ts, e.dur]);
    expect(lives).toEqual([
      ['w1 #0', 0, 10_000_000],
      ['w1 #1', 20_000_000, 40_000_000],
    ]);
    expect(
      events.some(
        (e) =>
          e.ph === 'X' &&
          e.name === 'paused' &&
          e.pid === pidOf('w2') &&
          e.ts === 40_000_000 &&
          e.dur === 5_000_000,
      ),
    ).toBe(true);
    // Assert: spans from span-begin notes, closed by the crash
    const spans = events
      .filter((e) => (e.ph === 'B' || e.ph === 'E') && e.pid === pidOf('w1'))
      .map((e) => [e.ph, e.name, e.ts]);
    expect(spans).toEqual([
      ['B', 'serving #0', 0],
      ['E', 'serving #0', 10_000_000],
      ['B', 'serving #1', 20_000_000],
      ['E', 'serving #1', 60_000_000],
    ]);
    // Assert: every flow start has a matching finish later on the hub's agent thread
    const starts = events.filter((e) => e.ph === 's');
    const finishes = new Map(events.filter((e) => e.ph === 'f').map((e) => [e.id, e]));
    expect(starts.length).toBeGreaterThan(50);
    for (const s of starts) {
      const f = finishes.get(s.id);
      expect(f?.pid).toBe(pidOf('hub'));
      expect(f?.ts ?? -1).toBeGreaterThan(s.ts ?? 0);
    }
    // Assert: the violation is a global instant named by its invariant at the crash
    const marks = events.filter((e) => e.ph === 'i' && e.name === 'all-workers-up');
    expect(marks.map((e) => e.ts)).toEqual([10_000_000]);
    expect(marks[0]?.args?.message).toBe('worker w1 is down');
  });

  it('should still export notes, spans and violations when the run captured no records', () => {
    const trace = toChromeTrace(run(), { nodes: ['hub', 'w1', 'w2'] });
    expect(trace.traceEvents.some((e) => e.ph === 'i' && e.name === 'all-workers-up')).toBe(true);
    expect(trace.traceEvents.some((e) => e.ph === 's')).toBe(false);
    expect(trace.metadata.note).toMatch(/without trace capture/);
  });
});

describe('run reports', () => {
  it('should tell the timeline and the violation in words, ending with the re-run command', () => {
    // Arrange
    const result = run();
    // Act
    const text = renderRunText(result, {
      chalk: new Chalk({ level: 0 }),
      rerun: 'clustersim run crashy.yaml --seed 1 --variant plain',
    });
    const lines = text.trimEnd().split('\n');
    // Assert
    expect(text).toMatch(/t=10\.000s\s+✗ all-workers-up violated: worker w1 is down \(worker=w1\)/);
    expect(text).toMatch(/t=20\.000s\s+✓ all-workers-up holds again/);
    expect(text).toMatch(/t=20\.000s\s+w1\s+registration\s+w1 starts \(incarnation 1\)/);
    expect(text).toContain('all-workers-up first at t=10.000s, 1 time, 10.0 s in violation');
    expect(text).not.toContain('span-begin');
    expect(lines.at(-1)).toBe('re-run: clustersim run crashy.yaml --seed 1 --variant plain');
    expect(lines.at(-2)).toContain(`traceHash ${result.traceHash}`);
  });

  it('should keep --quiet to the summary and print the contract fields in JSON', () => {
    const result = run();
    const quiet = renderRunText(result, { chalk: new Chalk({ level: 0 }), quiet: true, rerun: 'x' });
    expect(quiet).not.toContain('registration');
    const json = runResultToJson(result);
    expect(Object.keys(json)).toEqual(
      expect.arrayContaining([
        'scenario',
        'system',
        'variant',
        'seed',
        'simulatedMs',
        'events',
        'traceHash',
        'violations',
        'metrics',
      ]),
    );
    const episode = {
      startMs: 10_000,
      endMs: 20_000,
      message: 'worker w1 is down',
      entities: { worker: 'w1' },
    };
    expect(json.violations).toEqual([
      {
        invariant: 'all-workers-up',
        kind: 'safety',
        atMs: 10_000,
        count: 1,
        message: 'worker w1 is down',
        violationSeconds: 10,
        entities: { worker: 'w1' },
        episodes: [episode],
        // The event after which it broke (issue #16's causality).
        seq: expect.any(Number),
      },
    ]);
    // CONTRACT §9: the library's violations are the very objects `run --json` prints.
    expect(JSON.parse(JSON.stringify(json.violations))).toEqual(result.violations);
  });
});
