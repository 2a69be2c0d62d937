import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fuzzCampaign } from '../../src/explore/fuzz.js';
import { loadScenario } from '../../src/scenario/load.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('fuzz findings grouped by cause', () => {
  it('gives every group its count, its first seed and one repro of its own', async () => {
    // Arrange
    const outDir = mkdtempSync(join(tmpdir(), 'clustersim-groups-'));
    dirs.push(outDir);
    // Act: no repro beyond the first of each group.
    const report = await fuzzCampaign({
      spec: {
        scenario: loadScenario('scenarios/mantis/fuzz.yaml'),
        variant: 'as-is',
        strategy: { kind: 'random' },
      },
      fromSeed: 1,
      seeds: 40,
      shard: { index: 1, count: 1 },
      workers: 1,
      outDir,
      shrink: false,
      stopOnFirst: false,
      timeLimitMs: null,
      maxRepros: 0,
    });
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
    }
    const repros = new Set(groups.map((g) => g.repro));
    expect(repros.has(null)).toBe(false);
    expect(readdirSync(outDir)).toHaveLength(groups.length);
  });
});
