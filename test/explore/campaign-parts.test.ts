import { describe, expect, it } from 'vitest';
import { shrinkClusterCandidates } from '../../src/explore/cluster-candidates.js';
import { driveSeeds } from '../../src/explore/drive.js';
import { mergeReports } from '../../src/explore/merge.js';
import type { Finding, FuzzReport } from '../../src/explore/report.js';
import { countByInvariant } from '../../src/explore/report.js';
import { parseShard, shardSeeds } from '../../src/explore/shard.js';
import { wilsonInterval } from '../../src/explore/wilson.js';

describe('shardSeeds', () => {
  it('should split seeds round-robin so the shards cover the campaign exactly once', () => {
    // Arrange
    const from = 5;
    const seeds = 103;
    // Act
    const shards = [1, 2, 3, 4].map((index) => shardSeeds(from, seeds, { index, count: 4 }));
    // Assert
    const all = shards.flat().sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: seeds }, (_, i) => from + i));
    expect(shards[1]?.slice(0, 3)).toEqual([6, 10, 14]);
    for (const [i, shard] of shards.entries())
      for (const s of shard) expect(((s - from) % 4) + 1).toBe(i + 1);
  });

  it('should reject shard specs outside 1..n', () => {
    expect(parseShard('2/8')).toEqual({ index: 2, count: 8 });
    expect(() => parseShard('0/8')).toThrow(/--shard/);
    expect(() => parseShard('9/8')).toThrow(/--shard/);
    expect(() => parseShard('two')).toThrow(/--shard/);
  });
});

describe('wilsonInterval', () => {
  it('should give the textbook interval and stay inside [0, 1] at the edges', () => {
    // 10 of 100: Wilson 95% is about [0.0552, 0.1744].
    const mid = wilsonInterval(10, 100);
    expect(mid.low).toBeCloseTo(0.0552, 3);
    expect(mid.high).toBeCloseTo(0.1744, 3);
    const none = wilsonInterval(0, 50);
    expect(none.low).toBe(0);
    expect(none.high).toBeGreaterThan(0.05);
    expect(none.high).toBeLessThan(0.08);
    const all = wilsonInterval(50, 50);
    expect(all.high).toBe(1);
    expect(all.low).toBeLessThan(1);
  });
});

describe('driveSeeds', () => {
  it('should hand outcomes over in seed order however the batches finish', async () => {
    // Arrange: later batches finish first.
    const seeds = Array.from({ length: 40 }, (_, i) => i + 1);
    const seen: number[] = [];
    // Act
    const result = await driveSeeds<number>({
      seeds,
      batchSize: 3,
      inFlight: 4,
      exec: (batch) =>
        new Promise((resolve) => setTimeout(() => resolve([...batch]), 20 - ((batch[0] as number) % 13))),
      onOutcome: (seed) => {
        seen.push(seed);
        return false;
      },
      stopRequested: () => null,
    });
    // Assert
    expect(seen).toEqual(seeds);
    expect(result).toEqual({ done: 40, stopped: null });
  });

  it('should stop at the first outcome asked for, in seed order, and when told to', async () => {
    // Arrange
    const seeds = Array.from({ length: 100 }, (_, i) => i + 1);
    let handed = 0;
    // Act
    const first = await driveSeeds<number>({
      seeds,
      batchSize: 4,
      inFlight: 8,
      exec: (batch) =>
        new Promise((resolve) => setTimeout(() => resolve([...batch]), (batch[0] as number) % 3)),
      onOutcome: (seed) => seed === 23,
      stopRequested: () => null,
    });
    const told = await driveSeeds<number>({
      seeds,
      batchSize: 4,
      inFlight: 2,
      exec: (batch) => Promise.resolve([...batch]),
      onOutcome: () => {
        handed++;
        return false;
      },
      stopRequested: () => (handed >= 12 ? 'interrupted' : null),
    });
    // Assert
    expect(first).toEqual({ done: 23, stopped: 'stop-on-first' });
    expect(told.stopped).toBe('interrupted');
    expect(told.done).toBeLessThan(100);
    expect(told.done).toBe(handed);
  });
});

function report(shard: number, count: number, findings: Finding[], seedsRun: number): FuzzReport {
  return {
    scenario: 's',
    file: 's.yaml',
    system: 'mantis',
    variant: 'as-is',
    strategy: 'random',
    fromSeed: 1,
    seeds: 10,
    shards: [{ index: shard, count }],
    seedsRun,
    seedsPerSecond: 100,
    wallS: 0.1,
    workers: 1,
    stopped: null,
    findings,
    byInvariant: countByInvariant(findings),
    errors: [],
  };
}

describe('mergeReports', () => {
  it('should join shards into seed order with summed counts', () => {
    // Arrange
    const a = report(
      1,
      2,
      [
        { seed: 3, invariant: 'x', atMs: 5, repro: null },
        { seed: 7, invariant: 'y', atMs: 1, repro: null },
      ],
      5,
    );
    const b = report(2, 2, [{ seed: 2, invariant: 'x', atMs: 9, repro: null }], 5);
    // Act
    const merged = mergeReports([
      { file: 'b.json', report: b },
      { file: 'a.json', report: a },
    ]);
    // Assert
    expect(merged.findings.map((f) => f.seed)).toEqual([2, 3, 7]);
    expect(merged.byInvariant).toEqual({ x: 2, y: 1 });
    expect(merged.seedsRun).toBe(10);
    expect(merged.shards).toEqual([
      { index: 1, count: 2 },
      { index: 2, count: 2 },
    ]);
    expect(merged.missingShards).toEqual([]);
  });

  it('should refuse reports of another campaign or the same shard twice, and name missing shards', () => {
    const a = report(1, 3, [], 3);
    expect(() =>
      mergeReports([
        { file: 'a.json', report: a },
        { file: 'c.json', report: { ...a, variant: 'fix-2' } },
      ]),
    ).toThrow(/another campaign/);
    expect(() =>
      mergeReports([
        { file: 'a.json', report: a },
        { file: 'a2.json', report: a },
      ]),
    ).toThrow(/also in a.json/);
    expect(mergeReports([{ file: 'a.json', report: a }]).missingShards).toEqual([2, 3]);
  });

  it("should carry every shard's limit-stopped seeds, in seed order (they are never passes)", () => {
    // Arrange
    const limitAt = (seed: number) => ({ seed, limit: 'events' as const, message: `seed ${seed} ran away` });
    const a = { ...report(1, 2, [], 5), limited: [limitAt(9)] };
    const b = { ...report(2, 2, [], 5), limited: [limitAt(4)] };
    // Act
    const merged = mergeReports([
      { file: 'a.json', report: a },
      { file: 'b.json', report: b },
    ]);
    // Assert
    expect(merged.limited?.map((l) => l.seed)).toEqual([4, 9]);
  });
});

describe('shrinkClusterCandidates', () => {
  it('should offer each list item removed and each count lowered by one', () => {
    // Act
    const candidates = shrinkClusterCandidates({ executors: 3, jobs: [{ id: 'A', stages: [2, 1] }] });
    // Assert
    expect(candidates).toContainEqual({ executors: 3, jobs: [] });
    expect(candidates).toContainEqual({ executors: 3, jobs: [{ id: 'A', stages: [1] }] });
    expect(candidates).toContainEqual({ executors: 2, jobs: [{ id: 'A', stages: [2, 1] }] });
    expect(candidates).toContainEqual({ executors: 3, jobs: [{ id: 'A', stages: [1, 1] }] });
    expect(candidates).not.toContainEqual({ executors: 3, jobs: [{ id: 'A', stages: [2, 0] }] });
  });
});
