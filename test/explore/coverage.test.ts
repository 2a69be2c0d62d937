import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fuzzSeed } from '../../src/explore/seed-run.js';
import { parseScenario } from '../../src/scenario/load.js';
import { systemById } from '../../src/systems/registry.js';

const MANTIS = parseScenario(
  readFileSync('bench/profiles/mantis-generic.yaml', 'utf8'),
  'bench/profiles/mantis-generic.yaml',
);

describe('domain coverage of a run', () => {
  it('records declared abstract states and transitions, and never changes the verdicts', () => {
    // Arrange
    const base = { scenario: MANTIS, variant: 'fix-1a-merged', strategy: { kind: 'random' } } as const;
    const declared = systemById('mantis').coverage?.states ?? {};
    for (const seed of [4, 5]) {
      // Act
      const plain = fuzzSeed(base, seed);
      const covered = fuzzSeed({ ...base, coverage: true }, seed);
      // Assert
      expect(plain.coverage).toBeUndefined();
      expect(covered.violations).toEqual(plain.violations);
      expect(covered.events).toBe(plain.events);
      const points = covered.coverage ?? [];
      expect(points.some((p) => p.includes(' > '))).toBe(true);
      for (const p of points.filter((q) => !q.includes(' > '))) {
        const [kind, state] = p.split(' ') as [string, string];
        expect(declared[kind], p).toContain(state);
      }
    }
  });
});
