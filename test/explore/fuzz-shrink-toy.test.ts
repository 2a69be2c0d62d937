import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareVariants } from '../../src/explore/compare.js';
import { fuzzCampaign } from '../../src/explore/fuzz.js';
import type { CampaignSpec } from '../../src/explore/seed-run.js';
import { shrinkScenario } from '../../src/explore/shrink.js';
import { runPlan } from '../../src/run/run-plan.js';
import { compilePlan } from '../../src/scenario/compile.js';
import { parseScenario } from '../../src/scenario/load.js';
import { registerSystemForTests } from '../../src/systems/registry.js';
import { PAIR_FUZZ, pairModel } from './pair-model.js';
import { PLAIN_CAMPAIGN } from '../helpers/campaign.js';

let unregister: () => void = () => undefined;
let outDir = '';
beforeAll(() => {
  unregister = registerSystemForTests(pairModel as never);
  outDir = mkdtempSync(join(tmpdir(), 'clustersim-explore-'));
});
afterAll(() => {
  unregister();
  rmSync(outDir, { recursive: true, force: true });
});

const base = { ...PLAIN_CAMPAIGN, seeds: 40, maxRepros: 3 };

describe('fuzz and shrink on a test system (in-process)', () => {
  it('should find pair-up, write repros that replay to their stored hash, and shrink to the two crashes', async () => {
    // Arrange
    const spec: CampaignSpec = {
      scenario: parseScenario(PAIR_FUZZ, 'pairs-fuzz.yaml'),
      strategy: { kind: 'random' },
    };
    // Act
    const report = await fuzzCampaign({ ...base, spec, outDir });
    // Assert: findings, in seed order, and the first one has a repro that replays.
    expect(report.seedsRun).toBe(40);
    expect(report.findings.length).toBeGreaterThan(0);
    expect(report.findings.every((f) => f.invariant === 'pair-up')).toBe(true);
    expect(report.findings.map((f) => f.seed)).toEqual(
      [...report.findings.map((f) => f.seed)].sort((a, b) => a - b),
    );
    const first = report.findings[0];
    expect(first?.repro).not.toBeNull();
    const reproText = readFileSync(first?.repro as string, 'utf8');
    const repro = parseScenario(reproText, 'repro.yaml');
    expect(repro.faults?.crash).toBeUndefined();
    expect(repro.seed).toBe(first?.seed);
    expect(repro.expect?.plain).toContain('pair-up');
    const replay = runPlan(compilePlan(repro));
    expect(replay.traceHash).toBe(repro.traceHash);
    expect(replay.violations[0]?.invariant).toBe('pair-up');
    expect(replay.violations[0]?.atMs).toBe(first?.atMs);

    // Act: shrink the repro.
    const shrunk = shrinkScenario(repro);
    // Assert: still violates, smaller, 1-minimal, just the two crashes on a 2-worker cluster.
    expect(shrunk.status).toBe('shrunk');
    if (shrunk.status !== 'shrunk') return;
    expect(shrunk.after.steps).toBe(2);
    expect(shrunk.after.steps).toBeLessThan(shrunk.before.steps);
    expect(shrunk.scenario.timeline.map((s) => `${s.action} ${String(s.args)}`).sort()).toEqual([
      'crash w1',
      'crash w2',
    ]);
    expect(shrunk.after.clusterItems).toBe(2);
    expect(shrunk.after.durationMs).toBeLessThan(shrunk.before.durationMs);
    expect(shrunk.yaml).toMatch(/^# Shrunk by clustersim shrink/);
    const reread = parseScenario(shrunk.yaml, 'shrunk.yaml');
    const rerun = runPlan(compilePlan(reread));
    expect(rerun.violations.map((v) => v.invariant)).toContain('pair-up');
    expect(rerun.traceHash).toBe(reread.traceHash);
  });

  it('should report a scenario that does not fail as not shrinkable', () => {
    // Arrange: no faults, nothing crashes.
    const calm = parseScenario(
      'name: calm\nsystem: pairs\nduration: 1m\ncluster: { workers: 2 }\n',
      'calm.yaml',
    );
    // Act
    const result = shrinkScenario(calm);
    // Assert
    expect(result.status).toBe('not-failing');
  });

  it('should stop at the first finding in seed order with --stop-on-first', async () => {
    // Arrange
    const spec: CampaignSpec = {
      scenario: parseScenario(PAIR_FUZZ, 'pairs-fuzz.yaml'),
      strategy: { kind: 'random' },
    };
    const all = await fuzzCampaign({ ...base, spec, outDir: null });
    // Act
    const first = await fuzzCampaign({ ...base, spec, outDir: null, stopOnFirst: true });
    // Assert
    expect(first.stopped).toBe('stop-on-first');
    expect(first.findings).toEqual([all.findings[0]]);
    expect(first.seedsRun).toBe(all.findings[0]?.seed);
  });

  it('should give identical columns when a variant is compared with itself', async () => {
    // Arrange
    const spec: CampaignSpec = {
      scenario: parseScenario(PAIR_FUZZ, 'pairs-fuzz.yaml'),
      strategy: { kind: 'random' },
    };
    // Act
    const report = await compareVariants({
      spec,
      variants: ['plain', 'plain'],
      fromSeed: 1,
      seeds: 20,
      workers: 1,
    });
    // Assert
    expect(Object.keys(report.variants)).toEqual(['plain', 'plain#2']);
    expect(report.variants.plain).toEqual(report.variants['plain#2']);
    expect(report.variants.plain?.violatingSeeds['pair-up']).toBeGreaterThan(0);
    expect(report.variants.plain?.messages.perReconnection).not.toBeNull();
  });
});
