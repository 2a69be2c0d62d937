// Issue 19 (3), (5), (7): numeric flags are bounded, a runaway run is stopped by the default
// limits and is never a pass, --time-limit holds through shrinking, and repro files of one
// campaign never replace another's.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareVariants } from '../../src/explore/compare.js';
import { fuzzCampaign } from '../../src/explore/fuzz.js';
import { makeRepro } from '../../src/explore/repro.js';
import type { CampaignSpec } from '../../src/explore/seed-run.js';
import { fuzzSeed } from '../../src/explore/seed-run.js';
import { shrinkScenario } from '../../src/explore/shrink.js';
import { runPlan } from '../../src/run/run-plan.js';
import { compilePlan } from '../../src/scenario/compile.js';
import { loadScenario, parseScenario } from '../../src/scenario/load.js';
import { cli } from '../helpers/cli-capture.js';
import { PLAIN_CAMPAIGN } from '../helpers/campaign.js';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'clustersim-limits-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A few bytes that run for ever: 20 executors heartbeating every 10 ms for a week. */
const RUNAWAY = `name: runaway
system: mantis
duration: 160h
config: { teHeartbeatInterval: 10ms }
cluster: { executors: 20 }
`;

/** Quiet for two days: only the simulated-time limit stops it. */
const LONG_QUIET = `name: long-quiet
system: mantis
duration: 48h
cluster: { executors: 1 }
`;

const campaign = PLAIN_CAMPAIGN;

describe('runaway runs are never a pass', () => {
  it('stops a runaway scenario by the default limits within seconds, with no verdict and exit 3', async () => {
    // Arrange
    const path = join(dir, 'runaway.yaml');
    writeFileSync(path, RUNAWAY);
    // Act
    const startedMs = Date.now();
    const { code, stdout, stderr } = await cli('run', path, '--quiet');
    const wallS = (Date.now() - startedMs) / 1000;
    // Assert
    expect(code).toBe(3);
    expect(wallS).toBeLessThan(20);
    expect(stdout).not.toMatch(/every invariant held/);
    expect(stdout).toMatch(/no verdict/);
    expect(stderr).toMatch(/event budget exhausted: 5000000 events.*--max-events/);
  });

  it('stops a run past the simulated-time limit, settable by --max-sim-time', async () => {
    // Arrange
    const path = join(dir, 'long-quiet.yaml');
    writeFileSync(path, LONG_QUIET);
    // Act
    const byDefault = await cli('run', path, '--json');
    const raised = await cli('run', path, '--json', '--max-sim-time', '49h');
    // Assert
    expect(byDefault.code).toBe(3);
    expect(JSON.parse(byDefault.stdout)).toMatchObject({
      limit: { kind: 'simulated-time' },
      simulatedMs: 86_400_000,
    });
    expect(raised.code).toBe(0);
  });

  it('reports a scenario test stopped at a limit as LIMITED (exit 3), never FAIL or PASS', async () => {
    // Arrange: the bug report's expectations, and a limit it reaches long before its end.
    const file = 'scenarios/mantis/report.yaml';
    // Act
    const limited = await cli('test', file, '--variant', 'as-is', '--max-events', '100', '--json');
    const full = await cli('test', file, '--variant', 'as-is', '--json');
    // Assert
    expect(limited.code).toBe(3);
    expect(JSON.parse(limited.stdout)).toMatchObject({ passed: 0, failed: 0, limited: 1 });
    expect(JSON.parse(limited.stdout).outcomes[0].limited).toMatch(/--max-events/);
    expect(full.code).toBe(0);
    expect(JSON.parse(full.stdout)).toMatchObject({ passed: 1, failed: 0, limited: 0 });
  });

  it('stops a message storm at the pending-event limit', () => {
    // Arrange: every message delivered twice, and a low bound on pending events.
    const scenario = parseScenario(RUNAWAY, 'runaway.yaml');
    // Act
    const result = runPlan(compilePlan(scenario), { limits: { pendingEvents: 10 } });
    // Assert
    expect(result.limit?.kind).toBe('pending-events');
    expect(result.limit?.message).toMatch(/--max-pending/);
  });

  it('counts seeds stopped at a limit apart in fuzz (exit 3, not 0) and compare', async () => {
    // Arrange: limits low enough that every seed of the Ava profile stops at one.
    const spec: CampaignSpec = {
      scenario: loadScenario('scenarios/ava/fuzz.yaml'),
      variant: 'fixed',
      strategy: { kind: 'random' },
      limits: { events: 50, simulatedMs: 86_400_000, pendingEvents: 1_000_000 },
    };
    // Act
    const fuzz = await fuzzCampaign({ ...campaign, spec, seeds: 5 });
    const compare = await compareVariants({ spec, variants: ['fixed'], fromSeed: 1, seeds: 5, workers: 1 });
    const exit = await cli(
      'fuzz',
      'scenarios/ava/fuzz.yaml',
      '--seeds',
      '3',
      '--workers',
      '1',
      '--max-events',
      '50',
      '--no-shrink',
      '--out',
      join(dir, 'limited'),
    );
    // Assert
    expect(fuzz.limited?.map((l) => l.seed)).toEqual([1, 2, 3, 4, 5]);
    expect(compare.variants.fixed?.limitedSeeds).toBe(5);
    expect(exit.code).toBe(3);
    expect(exit.stdout).not.toMatch(/every invariant held/);
    expect(exit.stdout).toMatch(/3 seeds stopped at a limit/);
  });
});

describe('numeric flags are bounded', () => {
  it.each([
    ['fuzz', '--seeds', '1e12', /--seeds: '1e12' is not allowed \(allowed: an integer from 1 to 10000000\)/],
    ['fuzz', '--seeds', '1e3', /allowed: an integer from 1 to/],
    ['fuzz', '--seeds', '0x10', /allowed: an integer from 1 to/],
    ['compare', '--seeds', '1e12', /--seeds: '1e12' is not allowed/],
    [
      'fuzz',
      '--from-seed',
      '9007199254740991',
      /--from-seed: .* \(allowed: an integer from 0 to 9007199254739992\)/,
    ],
    [
      'fuzz',
      '--workers',
      '1000',
      new RegExp(
        `--workers: '1000' is not allowed \\(allowed: an integer from 1 to ${Math.max(4, 4 * availableParallelism())}\\)`,
      ),
    ],
    ['compare', '--workers', '0', /--workers: '0' is not allowed/],
    ['fuzz', '--max-repros', '-1', /--max-repros/],
    ['fuzz', '--max-events', '1e9', /--max-events/],
    ['run', '--max-pending', '0', /--max-pending/],
  ])('%s %s %s exits 2 naming the allowed range', async (command, flag, value, message) => {
    // Act
    const { code, stderr } = await cli(command, 'scenarios/ava/fuzz.yaml', flag, value);
    // Assert
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('rejects every --seeds text that is not plain decimal digits in range, with exit 2', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .string({ maxLength: 12 })
          .filter((s) => !/^\s*\d{1,8}\s*$/.test(s) || Number(s) < 1 || Number(s) > 10_000_000)
          // A text that starts with '-' is an option to commander, not --seeds' value (`-V` prints the version).
          .filter((s) => !s.startsWith('-')),
        async (text) => {
          const { code, stderr } = await cli(
            'compare',
            'scenarios/ava/fuzz.yaml',
            '--seeds',
            text,
            '--variants',
            'nope',
          );
          expect(code).toBe(2);
          expect(stderr).toMatch(/--seeds: .*allowed: an integer from 1 to 10000000/);
        },
      ),
      { numRuns: 60, seed: 19 },
    );
  });
});

describe('--time-limit', () => {
  it('is honoured within a second, shrinking included', async () => {
    // Arrange: far more seeds and repros than the limit allows, with shrinking on. One seed and
    // its repro run first, so the code is warm and the slack scales with this machine's load.
    const spec: CampaignSpec = {
      scenario: loadScenario('scenarios/mantis/fuzz.yaml'),
      variant: 'as-is',
      strategy: { kind: 'random' },
    };
    const warmStartedMs = Date.now();
    const warm = fuzzSeed(spec, 4);
    makeRepro(spec, { seed: 4, ...(warm.violations[0] ?? { invariant: 'crash-detected', atMs: 0 }) });
    const oneSeedMs = Date.now() - warmStartedMs;
    // Act
    const startedMs = Date.now();
    const report = await fuzzCampaign({
      ...campaign,
      spec,
      seeds: 100_000,
      shrink: true,
      maxRepros: 1000,
      timeLimitMs: 1000,
      outDir: join(dir, 'time-limit'),
    });
    const wallMs = Date.now() - startedMs;
    // Assert: a second past the limit, plus the seed (and its repros) in hand when it passed.
    expect(report.stopped).toBe('time-limit');
    expect(wallMs).toBeLessThan(1000 + 1000 + 3 * oneSeedMs);
  });

  it('cuts a shrink short at its deadline, keeping a smaller scenario that still fails', () => {
    // Arrange
    const scenario = loadScenario('scenarios/mantis/report.yaml');
    // Act
    const startedMs = Date.now();
    const result = shrinkScenario(scenario, { deadlineMs: Date.now() });
    // Assert
    expect(result.status).toBe('shrunk');
    if (result.status !== 'shrunk') return;
    expect(result.cut).toBe(true);
    expect(result.oneMinimal).toBe(false);
    expect(result.runs).toBe(1);
    expect(Date.now() - startedMs).toBeLessThan(5000);
  });
});

describe('repro files', () => {
  it("of a second campaign into the same folder never replace the first campaign's", async () => {
    // Arrange: the same scenario and seeds under two variants, then with a --set.
    const scenario = loadScenario('scenarios/mantis/fuzz.yaml');
    const out = join(dir, 'shared-out');
    const run = (variant: string, set: Record<string, string> = {}) =>
      fuzzCampaign({
        ...campaign,
        spec: { scenario, variant, set, strategy: { kind: 'random' } },
        seeds: 12,
        outDir: out,
      });
    // Act
    const first = await run('as-is');
    const before = new Map(readdirSync(out).map((f) => [f, readFileSync(join(out, f), 'utf8')]));
    await run('fix-1a');
    await run('as-is', { workerTimeout: '90s' });
    // Assert
    expect(first.findings.length).toBeGreaterThan(0);
    for (const [file, text] of before) expect(readFileSync(join(out, file), 'utf8')).toBe(text);
    expect(readdirSync(out).length).toBeGreaterThan(before.size);
  });
});
