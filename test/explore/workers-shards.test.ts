import { Piscina } from 'piscina';
import { describe, expect, it, vi } from 'vitest';
import { fuzzCampaign } from '../../src/explore/fuzz.js';
import { mergeReports } from '../../src/explore/merge.js';
import type { FuzzReport } from '../../src/explore/report.js';
import type { CampaignSpec } from '../../src/explore/seed-run.js';
import { fullRun } from '../../src/explore/seed-run.js';
import { loadScenario } from '../../src/scenario/load.js';

// Worker threads run the compiled dist/ (test/global-setup.ts builds it): real models only.
const spec: CampaignSpec = {
  scenario: loadScenario('scenarios/ava/fuzz.yaml'),
  variant: 'pre',
  strategy: { kind: 'random' },
};
const base = {
  spec,
  fromSeed: 1,
  seeds: 48,
  outDir: null,
  shrink: false,
  stopOnFirst: false,
  timeLimitMs: null,
  maxRepros: 0,
};

function outcomes(report: FuzzReport): string[] {
  return report.findings.map((f) => `${f.seed} ${f.invariant} ${f.atMs}`);
}

describe('fuzz across workers and shards', () => {
  it('should find the same findings, in seed order, with 1 and 2 workers', async () => {
    // Arrange: count the tasks handed to pool threads, and the replies they sent back.
    const poolRun = vi.spyOn(Piscina.prototype, 'run');
    // Act
    const one = await fuzzCampaign({ ...base, shard: { index: 1, count: 1 }, workers: 1 });
    const threadTasks = poolRun.mock.calls.length;
    const two = await fuzzCampaign({ ...base, shard: { index: 1, count: 1 }, workers: 2, poolAfterS: 0 });
    const replies = await Promise.all(poolRun.mock.results.map((r) => r.value as Promise<unknown>));
    poolRun.mockRestore();
    // Assert: one worker ran no thread; two did, and a thread answered (no silent fallback).
    expect(threadTasks).toBe(0);
    expect(replies.length).toBeGreaterThan(0);
    expect(one.findings.length).toBeGreaterThan(0);
    expect(outcomes(two)).toEqual(outcomes(one));
    // Domain coverage and findability are the same too (ava declares coverage).
    expect(one.coverage?.points).toBeGreaterThan(10);
    expect(two.coverage).toEqual(one.coverage);
    expect(two.findability).toEqual(one.findability);
    // Grouped by cause alike: a thread's outcome carries each finding's signature.
    expect(one.groups?.length).toBeGreaterThan(0);
    expect(two.groups).toEqual(one.groups);
    expect(two.seedsRun).toBe(48);
    expect(two.workers).toBe(2);
  });

  it('should give the unsharded findings when three shards are merged', async () => {
    // Act
    const whole = await fuzzCampaign({ ...base, shard: { index: 1, count: 1 }, workers: 1 });
    const shards = await Promise.all(
      [1, 2, 3].map((index) => fuzzCampaign({ ...base, shard: { index, count: 3 }, workers: 1 })),
    );
    const merged = mergeReports(shards.map((report, i) => ({ file: `shard-${i + 1}.json`, report })));
    // Assert
    expect(shards.map((s) => s.seedsRun)).toEqual([16, 16, 16]);
    expect(outcomes(merged)).toEqual(outcomes(whole));
    expect(merged.byInvariant).toEqual(whole.byInvariant);
    expect(merged.groups).toEqual(whole.groups);
    expect(merged.seedsRun).toBe(whole.seedsRun);
    expect(merged.missingShards).toEqual([]);
  });

  it('should explore other message orders with --strategy pct, identically for 1 and 2 workers', async () => {
    // Arrange
    const pct: CampaignSpec = { ...spec, strategy: { kind: 'pct', depth: 3 } };
    // Act
    const one = await fuzzCampaign({
      ...base,
      spec: pct,
      seeds: 24,
      shard: { index: 1, count: 1 },
      workers: 1,
    });
    const two = await fuzzCampaign({
      ...base,
      spec: pct,
      seeds: 24,
      shard: { index: 1, count: 1 },
      workers: 2,
      poolAfterS: 0,
    });
    const pctHashes = [1, 2, 3].map((seed) => fullRun({ ...pct, pctMessagesExpected: 100 }, seed).traceHash);
    const randomHashes = [1, 2, 3].map((seed) => fullRun(spec, seed).traceHash);
    // Assert: deterministic across workers and runs, and not the random schedule in disguise.
    expect(outcomes(two)).toEqual(outcomes(one));
    expect(one.strategy).toBe('pct (depth 3)');
    expect([1, 2, 3].map((seed) => fullRun({ ...pct, pctMessagesExpected: 100 }, seed).traceHash)).toEqual(
      pctHashes,
    );
    for (const [i, hash] of pctHashes.entries()) expect(hash).not.toBe(randomHashes[i]);
  });
});
