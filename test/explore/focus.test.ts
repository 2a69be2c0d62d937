import { describe, expect, it } from 'vitest';
import type { CampaignSpec } from '../../src/explore/seed-run.js';
import { fuzzSeed } from '../../src/explore/seed-run.js';
import { loadScenario } from '../../src/scenario/load.js';

describe('fuzz --invariants', () => {
  it('should find no-foreign-read on seeds where a stale advertisement comes first and hides it', () => {
    // Arrange: on the Mantis fuzz profile the stale advertisement always precedes the foreign read.
    const scenario = loadScenario('scenarios/mantis/fuzz.yaml');
    const all: CampaignSpec = { scenario, strategy: { kind: 'random' } };
    const focused: CampaignSpec = { ...all, invariants: ['no-foreign-read'] };
    const seeds = Array.from({ length: 40 }, (_, i) => i + 1);
    // Act
    const firstOfAll = seeds.map((s) => fuzzSeed(all, s));
    const firstFocused = seeds.map((s) => fuzzSeed(focused, s));
    // Assert
    const reads = (outcomes: typeof firstOfAll): number =>
      outcomes.filter((o) => o.invariant === 'no-foreign-read').length;
    expect(firstFocused.every((o) => o.invariant === null || o.invariant === 'no-foreign-read')).toBe(true);
    expect(reads(firstFocused)).toBeGreaterThan(reads(firstOfAll));
  });
});
