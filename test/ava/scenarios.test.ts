import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { AVA_SCENARIOS, runAva, violated } from './helpers.js';

describe('ava: shipped scenarios', () => {
  const files = readdirSync(AVA_SCENARIOS)
    .filter((f) => f.endsWith('.yaml'))
    .sort();

  it('ships S1-S7, one scenario per bug, and a fuzz scenario', () => {
    // Assert
    for (const prefix of [
      's1-',
      's2-',
      's3-',
      's4-',
      's5-',
      's6-',
      's7-',
      'bug1-',
      'bug2-',
      'bug3-',
      'bug4-',
      'fuzz',
    ]) {
      expect(
        files.some((f) => f.startsWith(prefix)),
        prefix,
      ).toBe(true);
    }
  });

  for (const file of files) {
    it(`${file}: every variant in expect violates exactly its listed invariants`, () => {
      // Arrange
      const expected = loadScenario(`${AVA_SCENARIOS}/${file}`).expect ?? {};
      expect(Object.keys(expected).sort()).toEqual(['fixed', 'head', 'pre']);
      for (const [variant, invariants] of Object.entries(expected)) {
        // Act
        const result = runAva(file, variant);
        // Assert
        expect(violated(result), `${file} under ${variant}`).toEqual([...invariants].sort());
      }
    });
  }
});
