import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fuzzCampaign } from '../../src/explore/fuzz.js';
import { runPlan } from '../../src/run/run-plan.js';
import { compilePlan } from '../../src/scenario/compile.js';
import { fuzzSeed } from '../../src/explore/seed-run.js';
import { parseScenario } from '../../src/scenario/load.js';
import { systemById } from '../../src/systems/registry.js';

const MANTIS = parseScenario(
  readFileSync('bench/profiles/mantis-generic.yaml', 'utf8'),
  'bench/profiles/mantis-generic.yaml',
);

describe('domain coverage of a run', () => {
  it('records declared abstract states and transitions, and never changes the verdicts', () => {
    // Arrange
    const base = { scenario: MANTIS, variant: 'fix-1a-merged', strategy: { kind: 'random' } } as const;
    const declared = systemById('mantis').coverage?.states ?? {};
    for (const seed of [4, 5]) {
      // Act
      const plain = fuzzSeed(base, seed);
      const covered = fuzzSeed({ ...base, coverage: true }, seed);
      // Assert
      expect(plain.coverage).toBeUndefined();
      expect(covered.violations).toEqual(plain.violations);
      expect(covered.events).toBe(plain.events);
      const points = covered.coverage ?? [];
      expect(points.some((p) => p.includes(' > '))).toBe(true);
      for (const p of points.filter((q) => !q.includes(' > '))) {
        const [kind, state] = p.split(' ') as [string, string];
        expect(declared[kind], p).toContain(state);
      }
    }
  });
});

describe('coverage-guided search', () => {
  const AVA = parseScenario(
    readFileSync('bench/profiles/ava-generic.yaml', 'utf8'),
    'bench/profiles/ava-generic.yaml',
  );
  const options = (workers: number, outDir: string | null) =>
    ({
      spec: { scenario: AVA, variant: 'fixed', strategy: { kind: 'coverage' } },
      fromSeed: 1,
      seeds: 70,
      shard: { index: 1, count: 1 },
      workers,
      outDir,
      shrink: false,
      stopOnFirst: false,
      timeLimitMs: null,
      maxRepros: 200,
    }) as const;

  it('is the same campaign for 1 and 2 workers, and its mutants repro as plain files that replay', async () => {
    // Arrange
    const out = mkdtempSync(join(tmpdir(), 'cov-'));
    try {
      // Act
      const one = await fuzzCampaign(options(1, out));
      const two = await fuzzCampaign(options(2, null));
      // Assert
      expect(one.strategy).toBe('coverage');
      expect(two.findings.map((f) => [f.seed, f.invariant, f.atMs])).toEqual(
        one.findings.map((f) => [f.seed, f.invariant, f.atMs]),
      );
      expect(two.coverage).toEqual(one.coverage);
      // Seeds past the first generation are mutants: their repros carry the mutated schedule.
      const late = one.findings.filter((f) => f.seed > 32 && f.repro !== null);
      expect(late.length).toBeGreaterThan(0);
      for (const f of late) {
        const text = readFileSync(f.repro as string, 'utf8');
        const replay = runPlan(compilePlan(parseScenario(text, f.repro as string)));
        expect(replay.violations.map((v) => v.invariant)).toContain(f.invariant);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
