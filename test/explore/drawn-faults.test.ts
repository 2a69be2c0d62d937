import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeRepro } from '../../src/explore/repro.js';
import { fuzzSeed } from '../../src/explore/seed-run.js';
import { runPlan } from '../../src/run/run-plan.js';
import { compilePlan } from '../../src/scenario/compile.js';
import { parseScenario } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/types.js';
import { systemById } from '../../src/systems/registry.js';

const profile = (file: string): Scenario => parseScenario(readFileSync(file, 'utf8'), file);
const MANTIS = profile('bench/profiles/mantis-generic.yaml');
const AVA = profile('bench/profiles/ava-generic.yaml');

/** The `faults.<kind>` origins of the steps drawn over seeds 1..n. */
function drawnKinds(scenario: Scenario, seeds: number): Set<string> {
  const kinds = new Set<string>();
  for (let seed = 1; seed <= seeds; seed++)
    for (const step of compilePlan(scenario, { seed }).steps)
      if (step.origin?.startsWith('faults.') === true) kinds.add(step.origin.slice('faults.'.length));
  return kinds;
}

describe('every fault a system declares can be drawn', () => {
  it.each([
    ['mantis', MANTIS],
    ['ava', AVA],
  ])('%s: each of its own fault kinds appears in some seed of the generic profile', (id, scenario) => {
    // Arrange
    const declared = (systemById(id).faults ?? []).map((f) => f.name);
    // Act
    const kinds = drawnKinds(scenario, 40);
    // Assert
    expect(declared.length).toBeGreaterThan(4);
    for (const name of declared) expect(kinds, name).toContain(name);
  });

  it('config ranges are drawn per seed inside their range, and swarm leaves some at the file value', () => {
    // Arrange
    const range = MANTIS.faults?.config?.schedulerRetryInterval;
    // Act
    const values = Array.from(
      { length: 30 },
      (_, i) => compilePlan(MANTIS, { seed: i + 1 }).config.schedulerRetryInterval,
    );
    // Assert
    expect(range).toEqual([1000, 60000]);
    const drawn = values.filter((v) => v !== 60000);
    expect(new Set(drawn).size).toBeGreaterThan(5);
    for (const v of drawn) expect(v).toBeGreaterThanOrEqual(1000);
    expect(values).toContain(60000); // the default: swarm switched the range off
  });

  it('--set pins a ranged key', () => {
    // Act
    const plan = compilePlan(MANTIS, { seed: 3, set: { schedulerRetryInterval: '7s' } });
    // Assert
    expect(plan.config.schedulerRetryInterval).toBe(7000);
  });

  it('adding system kinds and config ranges to a file never moves the generic kinds draws', () => {
    // Arrange
    const base = readFileSync('scenarios/mantis/fuzz.yaml', 'utf8');
    const extended = base.replace(
      '  swarm: true',
      '  failover: { every: 5m }\n  config: { routerHopDelay: [1ms, 3s] }\n  swarm: true',
    );
    const generic = (text: string, seed: number): unknown[] =>
      compilePlan(parseScenario(text, 'fuzz.yaml'), { seed })
        .steps.filter((s) => s.origin !== 'faults.failover')
        .map((s) => [s.atMs, s.action, s.args]);
    // Act / Assert
    expect(extended).not.toBe(base);
    for (const seed of [1, 2, 3, 4, 5]) expect(generic(extended, seed)).toEqual(generic(base, seed));
  });
});

describe('repros of drawn faults replay', () => {
  it.each([
    ['mantis', MANTIS, 'fix-1a-merged'],
    ['ava', AVA, 'fixed'],
  ])(
    '%s: the first finding of seeds 1..20 is written as plain steps and config, and run shows it again',
    (_, scenario, variant) => {
      // Arrange
      const spec = { scenario, variant, strategy: { kind: 'random' } } as const;
      let finding: { seed: number; invariant: string; atMs: number } | undefined;
      for (let seed = 1; seed <= 20 && finding === undefined; seed++) {
        const first = fuzzSeed(spec, seed).violations[0];
        if (first !== undefined) finding = { seed, ...first };
      }
      if (finding === undefined) throw new Error('no finding in 20 seeds');
      // Act
      const repro = makeRepro(spec, finding);
      const replay = runPlan(compilePlan(parseScenario(repro.yaml, 'repro.yaml')));
      // Assert
      expect(repro.yaml).not.toMatch(/^faults:/m);
      expect(repro.yaml).toMatch(/^config:/m);
      expect(replay.violations.map((v) => v.invariant)).toContain(finding.invariant);
    },
  );
});
