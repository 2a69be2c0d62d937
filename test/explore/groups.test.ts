import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fuzzCampaign } from '../../src/explore/fuzz.js';
import { signatureOf } from '../../src/explore/signature.js';
import { runPlan } from '../../src/run/run-plan.js';
import { compilePlan } from '../../src/scenario/compile.js';
import { loadScenario } from '../../src/scenario/load.js';
import { PLAIN_CAMPAIGN } from '../helpers/campaign.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A campaign of the shipped Mantis fuzz profile (as-is) on one worker, no repro beyond each group's first. */
function mantisProfile(part: {
  fromSeed: number;
  seeds: number;
  outDir: string;
  shrink: boolean;
}): Parameters<typeof fuzzCampaign>[0] {
  return {
    spec: {
      scenario: loadScenario('scenarios/mantis/fuzz.yaml'),
      variant: 'as-is',
      strategy: { kind: 'random' },
    },
    ...PLAIN_CAMPAIGN,
    ...part,
  };
}

describe('fuzz findings grouped by cause', () => {
  it('gives every group its count, its first seed and one repro of its own', async () => {
    // Arrange
    const outDir = mkdtempSync(join(tmpdir(), 'clustersim-groups-'));
    dirs.push(outDir);
    // Act: no repro beyond the first of each group.
    const report = await fuzzCampaign(mantisProfile({ fromSeed: 1, seeds: 40, outDir, shrink: false }));
    // Assert
    const groups = report.groups ?? [];
    // One invariant broken more than one way makes more groups than invariants.
    expect(groups.length).toBeGreaterThan(Object.keys(report.byInvariant).length);
    expect(groups.reduce((sum, g) => sum + g.count, 0)).toBe(report.findings.length);
    for (const g of groups) {
      const members = report.findings.filter((f) => f.signature === g.signature);
      expect(members).toHaveLength(g.count);
      expect(g.firstSeed).toBe(members[0]!.seed);
      expect(g.signature.startsWith(`${g.invariant}: `)).toBe(true);
      expect(g.repro).toBe(members[0]!.repro);
      // How findable the cause is: from seed 1, with no seed lacking a verdict.
      expect(g.seedsToFirstHit).toBe(g.firstSeed);
      expect(g.hitRate?.rate).toBeCloseTo(g.count / report.seedsRun, 4);
      expect(g.hitRate!.low).toBeLessThan(g.hitRate!.rate);
    }
    const repros = new Set(groups.map((g) => g.repro));
    expect(repros.has(null)).toBe(false);
    expect(readdirSync(outDir)).toHaveLength(groups.length);
  });

  it('shrinks each group to a repro with the same cause, cutting even a liveness run short', async () => {
    // Arrange: seeds 4-5 of the shipped profile break crash-detected (judged at the end of a 15m
    // run) and no-foreign-advertisement.
    const outDir = mkdtempSync(join(tmpdir(), 'clustersim-groups-shrink-'));
    dirs.push(outDir);
    // Act
    const report = await fuzzCampaign(mantisProfile({ fromSeed: 4, seeds: 2, outDir, shrink: true }));
    // Assert: each group's shrunk file fails with the group's own signature, and is shorter.
    const groups = report.groups ?? [];
    expect(groups.map((g) => g.invariant)).toContain('crash-detected');
    for (const g of groups) {
      expect(g.shrunk, g.signature).toBeTruthy();
      const shrunk = loadScenario(g.shrunk as string);
      const result = runPlan(compilePlan(shrunk), { explain: true });
      const why = (result.why ?? []).find((e) => e.invariant === g.invariant);
      expect(why && signatureOf(why)).toBe(g.signature);
      expect(shrunk.durationMs).toBeLessThan(loadScenario('scenarios/mantis/fuzz.yaml').durationMs);
    }
  });
});
