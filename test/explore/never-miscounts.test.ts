// Issue 13 (2), (3): a run that hits an internal error is never a pass, and fuzz counts every
// invariant each seed violates, as compare does.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareVariants } from '../../src/explore/compare.js';
import { fuzzCampaign } from '../../src/explore/fuzz.js';
import type { CampaignSpec } from '../../src/explore/seed-run.js';
import { shrinkScenario } from '../../src/explore/shrink.js';
import { AssertionError } from '../../src/engine/index.js';
import { loadScenario, parseScenario } from '../../src/scenario/load.js';
import { registerSystemForTests } from '../../src/systems/registry.js';
import { FAULTY_FUZZ, FAULTY_REPRO, faultyModel } from './faulty-model.js';
import { PAIR_FUZZ, pairModel } from './pair-model.js';
import { cli } from '../helpers/cli-capture.js';
import { PLAIN_CAMPAIGN } from '../helpers/campaign.js';

let unregister: (() => void)[] = [];
let dir = '';
beforeAll(() => {
  unregister = [registerSystemForTests(faultyModel as never), registerSystemForTests(pairModel as never)];
  dir = mkdtempSync(join(tmpdir(), 'clustersim-miscount-'));
});
afterAll(() => {
  for (const u of unregister) u();
  rmSync(dir, { recursive: true, force: true });
});

const campaign = PLAIN_CAMPAIGN;

describe('a run that hits an internal error is never a pass', () => {
  it('compare marks the column invalid, shows no rate over it and exits 70', async () => {
    // Arrange
    const path = join(dir, 'faulty-fuzz.yaml');
    writeFileSync(path, FAULTY_FUZZ);
    // Act
    const { code, stdout } = await cli(
      'compare',
      path,
      '--variants',
      'plain,buggy',
      '--seeds',
      '9',
      '--workers',
      '1',
    );
    const json = await cli(
      'compare',
      path,
      '--variants',
      'plain,buggy',
      '--seeds',
      '9',
      '--workers',
      '1',
      '--json',
    );
    // Assert: seeds 3, 6, 9 crashed under buggy; plain is fine.
    expect(code).toBe(70);
    expect(json.code).toBe(70);
    const report = JSON.parse(json.stdout) as {
      variants: Record<string, { invalid: boolean; seedsRun: number; errors: { seed: number }[] }>;
    };
    expect(report.variants.buggy).toMatchObject({ invalid: true, seedsRun: 6 });
    expect(report.variants.buggy?.errors.map((e) => e.seed)).toEqual([3, 6, 9]);
    expect(report.variants.plain).toMatchObject({ invalid: false, seedsRun: 9 });
    const anyRow = stdout.split('\n').find((line) => line.startsWith('any violation')) ?? '';
    expect(anyRow).toMatch(/invalid \(3 internal errors\)$/);
    expect(anyRow).toMatch(/\/9 /);
    expect(stdout).toMatch(/buggy: 3 runs hit an internal error .* first: seed 3: AssertionError/);
  });

  it('fuzz exits 70 and names the first failing seed with its replay line', async () => {
    // Arrange
    const path = join(dir, 'faulty-fuzz-2.yaml');
    writeFileSync(path, FAULTY_FUZZ);
    // Act
    const { code, stdout } = await cli(
      'fuzz',
      path,
      '--variant',
      'buggy',
      '--seeds',
      '5',
      '--workers',
      '1',
      '--no-shrink',
      '--no-progress',
      '--out',
      join(dir, 'faulty-out'),
    );
    // Assert
    expect(code).toBe(70);
    expect(stdout).toMatch(/1 seed hit an internal error .*first: seed 3:/);
    expect(stdout).toContain(`replay: clustersim run ${path} --seed 3 --variant buggy`);
  });

  it('counts runs that fail in pool threads as errors, not as runs without violations', async () => {
    // Arrange: the pool threads do not know this test system, so every seed they take fails
    // there (an internal error in a worker thread); this thread runs the others.
    const spec: CampaignSpec = {
      scenario: parseScenario(PAIR_FUZZ, 'pairs-fuzz.yaml'),
      strategy: { kind: 'random' },
    };
    // Act
    const compare = await compareVariants({ spec, variants: ['plain'], fromSeed: 1, seeds: 24, workers: 2 });
    const fuzz = await fuzzCampaign({
      ...campaign,
      spec,
      seeds: 24,
      workers: 2,
      outDir: null,
      poolAfterS: 0,
    });
    // Assert
    const column = compare.variants.plain;
    expect(column?.errors.length).toBeGreaterThan(0);
    expect(column?.invalid).toBe(true);
    expect((column?.seedsRun ?? 0) + (column?.errors.length ?? 0)).toBe(24);
    expect(fuzz.errors.length).toBeGreaterThan(0);
  });

  it('shrink re-throws an internal error of a candidate run instead of taking it for "does not fail"', () => {
    // Arrange: dropping `crash: w3` makes the fragile model's assertion fail at 15 s.
    const scenario = parseScenario(FAULTY_REPRO, 'faulty-repro.yaml');
    // Act / Assert
    expect(() => shrinkScenario(scenario)).toThrow(AssertionError);
  });

  it('shrink on the command line exits 70 on such an error, writing nothing', async () => {
    // Arrange
    const path = join(dir, 'faulty-repro.yaml');
    writeFileSync(path, FAULTY_REPRO);
    // Act
    const { code, stderr } = await cli('shrink', path);
    // Assert
    expect(code).toBe(70);
    expect(stderr).toMatch(/internal error/);
    expect(readdirSync(dir).some((f) => f.startsWith('faulty-repro.min'))).toBe(false);
  });
});

describe('fuzz counts every invariant each seed violates', () => {
  it('gives byInvariant equal to compare violatingSeeds on the Mantis fuzz profile, and a repro for the first seed of each', async () => {
    // Arrange
    const spec: CampaignSpec = {
      scenario: loadScenario('scenarios/mantis/fuzz.yaml'),
      variant: 'as-is',
      strategy: { kind: 'random' },
    };
    const out = join(dir, 'mantis-counts');
    // Act
    const fuzz = await fuzzCampaign({ ...campaign, spec, seeds: 60, outDir: out });
    const compare = await compareVariants({ spec, variants: ['as-is'], fromSeed: 1, seeds: 60, workers: 1 });
    // Assert: the same counts, several invariants (no-foreign-read hides behind
    // no-foreign-advertisement when only a seed's first violation counts).
    expect(fuzz.byInvariant).toEqual(compare.variants['as-is']?.violatingSeeds);
    expect(fuzz.byInvariant['no-foreign-read']).toBeGreaterThan(5);
    for (const invariant of Object.keys(fuzz.byInvariant)) {
      const first = fuzz.findings.find((f) => f.invariant === invariant);
      expect(first?.repro).toMatch(new RegExp(`-seed${first?.seed}-${invariant}\\.yaml$`));
    }
  });
});
