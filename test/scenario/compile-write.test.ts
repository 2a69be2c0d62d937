import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPlan } from '../../src/run/run-plan.js';
import { compilePlan } from '../../src/scenario/compile.js';
import { formatDuration, parseDuration } from '../../src/util/duration.js';
import { parseScenario, ScenarioError } from '../../src/scenario/load.js';
import { planToScenario, scenarioToYaml } from '../../src/scenario/write.js';
import { registerSystemForTests } from '../../src/systems/registry.js';
import { toyModel } from './toy-model.js';

let unregister: () => void = () => undefined;
beforeAll(() => {
  unregister = registerSystemForTests(toyModel as never);
});
afterAll(() => unregister());

const FAULTY = `# yaml-language-server: $schema=../../schema/scenario.schema.json
name: faulty
system: toy
duration: 2m
config:
  beatInterval: 2s
cluster: { workers: 3 }
timeline:
  - at: 10s
    crash: w1
  - at: 20s
    restart: w1
  - at: 30s
    ping: { node: w2 }
faults:
  crash: { every: 15s, restartAfter: [1s, 5s] }
  drop: { every: 20s, reconnectAfter: [1s, 2s] }
  partition: { every: 20s, for: [1s, 3s] }
  pause: { every: 20s, for: [1s, 3s] }
  messageDelay: [0ms, 5ms]
expect:
  plain: [all-workers-up]
`;

describe('durations', () => {
  it('should read the contract forms', () => {
    expect(['1500ms', '90s', '2m', '1m30s', '1h', 250, '0'].map((d) => parseDuration(d))).toEqual(
      [1500, 90_000, 120_000, 90_000, 3_600_000, 250, 0].map((ms) => ({ ok: true, ms })),
    );
  });

  it('should write every whole number of ms so that it reads back the same', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 7 * 24 * 3_600_000 }), (ms) => {
        expect(parseDuration(formatDuration(ms))).toEqual({ ok: true, ms });
      }),
    );
    expect([90_000, 11_090, 250, 3_723_004].map(formatDuration)).toEqual([
      '1m30s',
      '11.09s',
      '250ms',
      '1h2m3.004s',
    ]);
  });
});

describe('compilePlan', () => {
  it('should draw the same faults for the same seed and different ones for another seed', () => {
    // Arrange
    const scenario = parseScenario(FAULTY, 'faulty.yaml');
    // Act
    const a = compilePlan(scenario, { seed: 5 });
    const b = compilePlan(scenario, { seed: 5 });
    const c = compilePlan(scenario, { seed: 6 });
    // Assert
    expect(a.steps).toEqual(b.steps);
    expect(a.steps).not.toEqual(c.steps);
    expect(a.messageDelayMs).toEqual([0, 5]);
    for (const kind of ['crash', 'restart', 'partition', 'heal', 'pause', 'sever', 'mend'])
      expect(a.steps.some((s) => s.action === kind)).toBe(true);
  });

  it('should sort steps by time, keeping file steps before fault steps at equal times', () => {
    const plan = compilePlan(parseScenario(FAULTY, 'faulty.yaml'), { seed: 3 });
    const times = plan.steps.map((s) => s.atMs);
    expect(times).toEqual([...times].sort((x, y) => x - y));
    expect(plan.steps.every((s) => s.atMs < plan.durationMs)).toBe(true);
    expect(plan.steps.filter((s) => s.origin?.startsWith('faulty.yaml:')).map((s) => s.action)).toEqual([
      'crash',
      'restart',
      'ping',
    ]);
  });

  it('should never crash a node a crash fault already has down, nor pause a paused one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), (seed) => {
        const plan = compilePlan(parseScenario(FAULTY, 'faulty.yaml'), { seed });
        const down = new Set<string>();
        for (const step of plan.steps.filter((s) => s.origin === 'faults.crash')) {
          const node = step.args as string;
          if (step.action === 'crash') expect(down.has(node)).toBe(false);
          if (step.action === 'crash') down.add(node);
          else down.delete(node);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('should switch fault kinds off per seed under swarm, and record which', () => {
    // Arrange
    const swarm = parseScenario(
      FAULTY.replace('  messageDelay: [0ms, 5ms]', '  messageDelay: [0ms, 5ms]\n  swarm: true'),
      'swarm.yaml',
    );
    // Act
    const offSets = Array.from({ length: 40 }, (_, seed) => compilePlan(swarm, { seed }).faultsOff.join(','));
    // Assert
    expect(new Set(offSets).size).toBeGreaterThan(5);
    const plan = compilePlan(swarm, { seed: offSets.findIndex((s) => s.includes('crash')) });
    expect(plan.steps.some((s) => s.origin === 'faults.crash')).toBe(false);
  });

  it('should layer defaults, file config and --set, and reject bad overrides with flag-named messages', () => {
    // Arrange
    const scenario = parseScenario(FAULTY, 'faulty.yaml');
    // Act
    const plan = compilePlan(scenario, { set: { retries: '7', eager: 'true', mode: 'slow' } });
    // Assert
    expect(plan.config).toEqual({ beatInterval: 2000, retries: 7, ratio: 0.5, eager: true, mode: 'slow' });
    expect(() =>
      compilePlan(scenario, { variant: 'zz', set: { nope: '1', retries: 'x', beatInterval: '5' } }),
    ).toThrow(ScenarioError);
    try {
      compilePlan(scenario, { variant: 'zz', set: { nope: '1', retries: '11', beatInterval: '-1s' } });
    } catch (error) {
      expect((error as ScenarioError).message.split('\n')).toEqual([
        "--variant: unknown variant 'zz' (allowed: plain, strict)",
        "--set: unknown key 'nope' (allowed: beatInterval, retries, ratio, eager, mode)",
        "--set: retries: '11' is above the maximum (allowed: <= 10)",
        "--set: beatInterval: negative duration '-1s' (allowed: a number of ms, or number+unit parts like 1500ms, 90s, 2m, 1m30s, 1h)",
      ]);
    }
  });
});

describe('planToScenario + scenarioToYaml', () => {
  it('should write a repro that loads and replays to the same traceHash as the original plan', () => {
    for (const seed of [1, 2, 3, 42]) {
      // Arrange
      const plan = compilePlan(parseScenario(FAULTY, 'faulty.yaml'), { seed, set: { retries: '4' } });
      const original = runPlan(plan);
      // Act
      const yaml = scenarioToYaml(
        planToScenario(plan, { expect: { plain: ['all-workers-up'] }, traceHash: original.traceHash }),
        `repro of seed ${seed}`,
      );
      const reloaded = parseScenario(yaml, 'repro.yaml');
      const replay = runPlan(compilePlan(reloaded));
      // Assert
      expect(replay.traceHash).toBe(original.traceHash);
      expect(replay.violations.map((v) => v.invariant)).toEqual(original.violations.map((v) => v.invariant));
      // CONTRACT §4: `faults` removed; the drawn message delay (not a step) is the network's now.
      expect(reloaded.faults).toBeUndefined();
      expect(reloaded.network.messageDelayMs).toEqual(plan.messageDelayMs);
      expect(reloaded.seed).toBe(seed);
      expect(reloaded.traceHash).toBe(original.traceHash);
      expect(yaml.startsWith(`# repro of seed ${seed}\n`)).toBe(true);
    }
  });

  it('should write readable durations and only non-default config', () => {
    const plan = compilePlan(parseScenario(FAULTY, 'faulty.yaml'), { seed: 9 });
    const yaml = scenarioToYaml(planToScenario(plan));
    expect(yaml).toContain('duration: 2m\n');
    expect(yaml).toContain('config:\n  beatInterval: 2s\n');
    expect(yaml).not.toContain('retries');
    expect(yaml).toContain('  - at: 10s\n    crash: w1\n');
    expect(yaml).toMatch(/pause: \{ node: w\d, for: [\d.]+s \}/);
    expect(yaml).not.toContain('every:');
  });
});
