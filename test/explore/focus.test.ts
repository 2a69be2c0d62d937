import { describe, expect, it } from 'vitest';
import type { CampaignSpec } from '../../src/explore/seed-run.js';
import { fuzzSeed } from '../../src/explore/seed-run.js';
import { loadScenario } from '../../src/scenario/load.js';

describe('fuzz --invariants', () => {
  it('should count only the focused invariant, on the same seeds a run of every invariant finds it', () => {
    // Arrange: on the Mantis fuzz profile the stale advertisement always precedes the foreign read.
    const scenario = loadScenario('scenarios/mantis/fuzz.yaml');
    const all: CampaignSpec = { scenario, strategy: { kind: 'random' } };
    const focused: CampaignSpec = { ...all, invariants: ['no-foreign-read'] };
    const seeds = Array.from({ length: 40 }, (_, i) => i + 1);
    // Act
    const firstOfAll = seeds.map((s) => fuzzSeed(all, s));
    const firstFocused = seeds.map((s) => fuzzSeed(focused, s));
    // Assert
    const reads = (outcomes: typeof firstOfAll): number[] =>
      outcomes.filter((o) => o.violations.some((v) => v.invariant === 'no-foreign-read')).map((o) => o.seed);
    expect(firstFocused.every((o) => o.violations.every((v) => v.invariant === 'no-foreign-read'))).toBe(
      true,
    );
    expect(reads(firstFocused).length).toBeGreaterThan(0);
    expect(reads(firstFocused)).toEqual(reads(firstOfAll));
  });
});
