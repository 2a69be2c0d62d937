import fc from 'fast-check';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScenario, parseScenarioBytes, ScenarioError } from '../../src/scenario/load.js';
import { registerSystemForTests } from '../../src/systems/registry.js';
import { toyModel } from './toy-model.js';

let unregister: () => void = () => undefined;
beforeAll(() => {
  unregister = registerSystemForTests(toyModel as never);
});
afterAll(() => unregister());

/** Loads; returns 'ok' or 'rejected'; any other exception escapes and fails the property. */
function outcome(load: () => unknown): 'ok' | 'rejected' {
  try {
    load();
    return 'ok';
  } catch (error) {
    if (error instanceof ScenarioError) {
      expect(error.problems.length).toBeGreaterThan(0);
      for (const p of error.problems) expect(p.message).not.toMatch(/\n\s+at /); // no stack traces
      return 'rejected';
    }
    throw error;
  }
}

const key = fc.constantFrom(
  'name',
  'system',
  'duration',
  'variant',
  'seed',
  'config',
  'network',
  'cluster',
  'timeline',
  'faults',
  'expect',
  'at',
  'crash',
  'pause',
  'heal',
  'every',
  'for',
  'workers',
  'node',
  '__proto__',
  'constructor',
  'x',
);
const scalar = fc.oneof(
  fc.constantFrom('toy', '1m', '-1s', '1m30s', 'w1', 'all', 'plain', 'never', '', '0'),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.string(),
);
const value = fc.letrec((tie) => ({
  node: fc.oneof(
    { maxDepth: 4 },
    scalar,
    fc.array(tie('node'), { maxLength: 4 }),
    fc.dictionary(key, tie('node'), { maxKeys: 5 }),
  ),
})).node;

describe('scenario loader robustness', () => {
  it('should only ever throw ScenarioError on random YAML documents', () => {
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 8 }), (doc) => {
        outcome(() => parseScenario(stringify({ system: 'toy', ...doc }), 'random.yaml'));
      }),
      { numRuns: 400 },
    );
  });

  it('should only ever throw ScenarioError on random text and random bytes', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 200 }),
        (text) => void outcome(() => parseScenario(text, 'random.yaml')),
      ),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        (bytes) => void outcome(() => parseScenarioBytes(bytes, 'random.bin')),
      ),
      { numRuns: 300 },
    );
  });

  it('should only ever throw ScenarioError on mutations of a valid file', () => {
    const valid =
      'name: ok\nsystem: toy\nduration: 2m\ncluster: { workers: 2 }\ntimeline:\n  - at: 10s\n    crash: w1\nfaults:\n  crash: { every: 30s, restartAfter: [1s, 5s] }\nexpect:\n  plain: [all-workers-up]\n';
    expect(outcome(() => parseScenario(valid, 'valid.yaml'))).toBe('ok');
    fc.assert(
      fc.property(
        fc.nat(valid.length - 1),
        fc.nat(valid.length),
        fc.string({ maxLength: 6 }),
        (from, length, insert) => {
          const mutated = valid.slice(0, from) + insert + valid.slice(Math.min(valid.length, from + length));
          outcome(() => parseScenario(mutated, 'mutated.yaml'));
        },
      ),
      { numRuns: 400 },
    );
  });
});
