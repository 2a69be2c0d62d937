import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AVA_SCENARIOS } from './helpers.js';

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
  // Each file's expect is checked by test/shipped-scenarios.test.ts.
});
