import { describe, expect, it } from 'vitest';
import { findabilityOf, renderFindability, seedsWithoutVerdict } from '../../src/explore/findability.js';

describe('findability', () => {
  it('counts seeds to the first hit in seed order, and the hit rate over the seeds run', () => {
    // Arrange: seeds 1..100, hits of x at seeds 10 and 40 (twice at 40: one seed), of y at 100
    const findings = [
      { seed: 10, key: 'x' },
      { seed: 40, key: 'x' },
      { seed: 40, key: 'x' },
      { seed: 100, key: 'y' },
    ];
    // Act
    const rows = findabilityOf(
      { fromSeed: 1, shards: [{ index: 1, count: 1 }], seedsRun: 100 },
      findings,
      [],
    );
    // Assert
    expect(rows.map((r) => [r.key, r.seedsToFirstHit, r.hits, r.hitRate.rate])).toEqual([
      ['x', 10, 2, 0.02],
      ['y', 100, 1, 0.01],
    ]);
    const x = rows[0];
    expect(x?.hitRate.low).toBeGreaterThan(0);
    expect(x?.hitRate.low).toBeLessThan(0.02);
    expect(x?.hitRate.high).toBeGreaterThan(0.02);
    // At the low end of the interval, that many seeds show it with 95% confidence.
    expect(x?.seedsFor95).toBeGreaterThan(150);
  });

  it('counts the seeds of this shard only: shard 2/4 from seed 1 runs 2, 6, 10, …', () => {
    // Act
    const rows = findabilityOf(
      { fromSeed: 1, shards: [{ index: 2, count: 4 }], seedsRun: 25 },
      [{ seed: 10, key: 'x' }],
      [],
    );
    // Assert: 2, 6, 10 → the third seed of the shard
    expect(rows[0]?.seedsToFirstHit).toBe(3);
  });

  it('leaves seeds without a verdict (an internal error, a limit before any violation) out of the count', () => {
    // Arrange: seeds 1..10; seed 3 crashed clustersim, seed 4 stopped at a limit with nothing
    // found, seed 5 stopped at a limit after showing x (a hit: the violation happened).
    const report = {
      findings: [{ seed: 5, invariant: 'x', atMs: 1, repro: null }],
      errors: [{ seed: 3, message: 'AssertionError' }],
      limited: [
        { seed: 4, limit: 'events' as const, message: 'limit' },
        { seed: 5, limit: 'events' as const, message: 'limit' },
      ],
    };
    // Act
    const noVerdict = seedsWithoutVerdict(report);
    const rows = findabilityOf(
      { fromSeed: 1, shards: [{ index: 1, count: 1 }], seedsRun: 10 },
      [{ seed: 5, key: 'x' }],
      noVerdict,
    );
    // Assert: 1 hit in the 8 seeds with a verdict, the third of them (1, 2, 5).
    expect([...noVerdict].sort()).toEqual([3, 4]);
    expect(rows[0]?.hitRate.rate).toBe(0.125);
    expect(rows[0]?.seedsToFirstHit).toBe(3);
  });

  it('prints one line per key', () => {
    // Act
    const lines = renderFindability(
      findabilityOf(
        { fromSeed: 5, shards: [{ index: 1, count: 1 }], seedsRun: 50 },
        [{ seed: 9, key: 'x' }],
        [],
      ),
    );
    // Assert
    expect(lines[1]).toMatch(/^ {2}x {2}first after 5 seeds · rate 2\.0% \(0\.\d+%–\d+\.\d%\) · \d+ seeds$/);
  });
});
