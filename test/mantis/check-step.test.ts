// The generic `check` step and the `state` section, on the Mantis vocabulary: judged from the
// actors' own state, positions on bad input, no effect on the run, outcome and exit codes.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { runResultToJson } from '../../src/report/run-json.js';
import { simulate } from '../../src/run/simulate.js';
import { parseScenario } from '../../src/scenario/load.js';
import { problemsOf } from '../helpers/scenario-problems.js';

const dir = mkdtempSync(join(tmpdir(), 'clustersim-check-'));

/** The report's cluster; TE-1 segfaults at 60s and is back at 70s. */
function scenario(steps: string): string {
  return `name: check-step
system: mantis
duration: 3m
cluster: {}
timeline:
  - at: 60s
    crash: TE-1
  - at: 70s
    restart: TE-1
${steps}`;
}

async function cli(...args: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const code = await main(['node', 'clustersim', ...args]);
  process.exitCode = undefined;
  return { code, stdout };
}
afterEach(() => vi.restoreAllMocks());

describe('check steps', () => {
  it('should judge facts from the actors: RC state, pool, worker metadata, TE task, consumer reads', () => {
    const result = simulate(
      parseScenario(
        scenario(`  - at: 30s
    check: { rc: TE-1, is: Running(A-1-0), registered: true }
  - at: 30s
    check: { reads: A-2-0, from: TE-1, is: A-1-0 }
  - at: 65s
    check: { task: TE-1, is: down }
  - at: 100s
    check: { rc: TE-1, is: Pending }
  - at: 100s
    check: { worker: A-1-0, is: Started, on: TE-1 }
  - at: 100s
    check: { pool: TE-1, is: true }
`),
        'c.yaml',
      ),
    );
    // as-is: the restarted TE is pooled silently while the job still holds A-1-0 as Started.
    expect(result.checks.map((c) => [c.check, c.holds])).toEqual([
      ['rc', true],
      ['reads', true],
      ['task', true],
      ['rc', true],
      ['worker', true],
      ['pool', true],
    ]);
  });

  it('should fail with both sides in words, and under fix-1a-merged see the merged detection', () => {
    const text = scenario(`  - at: 100s
    check: { worker: A-1-0, is: Started }
`);
    const asIs = simulate(parseScenario(text, 'c.yaml'));
    const merged = simulate(parseScenario(text, 'c.yaml'), { variant: 'fix-1a-merged' });
    expect(asIs.checks[0]?.holds).toBe(true);
    expect(merged.checks[0]).toMatchObject({
      holds: false,
      origin: 'c.yaml:10',
      atMs: 100_000,
      expected: 'worker A-1-0 is Started',
      actual: 'worker A-1-0 is Failed on TE-1',
    });
    expect(runResultToJson(merged).outcome).toBe('check-failed');
    // as-is holds the stale worker and later shows the bug: a finding, not a failed check.
    expect(runResultToJson(asIs).outcome).toBe('violation');
  });

  it('should leave the run and its trace hash as they were', () => {
    const plain = simulate(parseScenario(scenario(''), 'c.yaml'));
    const checked = simulate(
      parseScenario(
        scenario(`  - at: 65s
    check: { rc: TE-1, is: Pending }
  - at: 3m
    check: { job: A, is: Launched }
`),
        'c.yaml',
      ),
    );
    expect(checked.checks).toHaveLength(2);
    expect(checked.traceHash).toBe(plain.traceHash);
    expect(checked.events).toBe(plain.events);
  });

  it('should judge a check limited to some variants only under those', () => {
    const text = scenario(`  - at: 100s
    check: { worker: A-1-0, is: Failed, variants: [fix-1a-merged] }
`);
    expect(simulate(parseScenario(text, 'c.yaml')).checks).toEqual([]);
    expect(simulate(parseScenario(text, 'c.yaml'), { variant: 'fix-1a-merged' }).checks[0]?.holds).toBe(true);
  });

  it('should put the state at the end and at each check in run --json', () => {
    const json = runResultToJson(
      simulate(
        parseScenario(
          scenario(`  - at: 65s
    check: { rc: TE-1, is: Running(A-1-0) }
`),
          'c.yaml',
        ),
      ),
    );
    expect(json.state.checks).toHaveLength(1);
    expect(json.state.checks[0]).toMatchObject({
      at: 'c.yaml:10',
      atMs: 65_000,
      taskExecutors: { 'TE-1': { up: false } },
      resourceCluster: { taskExecutors: { 'TE-1': { availability: 'Running(A-1-0)', inPool: false } } },
    });
    expect(json.state.end).toMatchObject({
      atMs: 180_000,
      controlPlane: 'up',
      jobs: { A: { workers: { 'A-1-0': { state: 'Started', te: 'TE-1' } } } },
      // as-is: B's pending worker took the reused TE while A still holds A-1-0 there.
      taskExecutors: { 'TE-1': { up: true, task: 'B-1-1' } },
    });
  });

  it('should report bad checks at their file:line:col, naming what is allowed', () => {
    const problems = problemsOf(
      scenario(`  - at: 30s
    check: { rc: TE-9, is: Pending }
  - at: 30s
    check: { worker: A-1-0, is: Dead }
  - at: 30s
    check: { nothing: TE-1 }
  - at: 30s
    check: { pool: TE-1 }
  - at: 30s
    check: { worker: A-3-0, is: Failed }
  - at: 30s
    check: { job: A, is: Launched, variants: [fix-9] }
`),
    );
    expect(problems).toEqual([
      "c.yaml:11:12: timeline[2].check: unknown task executor 'TE-9' (allowed: TE-1, TE-2, TE-3, TE-4)",
      'c.yaml:13:33: timeline[3].check.is: expected a worker state (allowed: Accepted, Launched, StartInitiated, Started, Failed, Completed, absent, present)',
      'c.yaml:15:12: timeline[4].check: names no check of mantis (allowed: rc, pool, worker, job, task, reads, pushed)',
      'c.yaml:17:12: timeline[5].check.is: missing (required: true or false)',
      'c.yaml:19:12: timeline[6].check: job A has no stage 3 (it has 2)',
      expect.stringMatching(
        /^c\.yaml:21:47: timeline\[7\]\.check\.variants\[0\]: unknown mantis variant 'fix-9'/,
      ),
    ]);
  });

  it('should know a job submitted by a later timeline step', () => {
    expect(
      problemsOf(
        scenario(`  - at: 150s
    check: { job: C, is: Accepted }
  - at: 120s
    submit: { id: C, stages: [1] }
`),
      ),
    ).toEqual([]);
  });
});

describe('check steps on the command line', () => {
  const failing = join(dir, 'failing.yaml');
  writeFileSync(
    failing,
    scenario(`  - at: 100s
    check: { rc: TE-1, is: Running(A-1-0) }
`),
  );

  it('run: exit 1, CHECK FAILED with the step position, outcome check-failed in JSON', async () => {
    const text = await cli('run', failing, '--quiet', '--no-color');
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`✗ CHECK FAILED: 1 of 1 check:\n  ${failing}:10 at t=1m40.000s`);
    expect(text.stdout).toContain('got the RC holds TE-1 as Pending, registered');
    const json = await cli('run', failing, '--json');
    expect(json.code).toBe(1);
    // The failed check decides the outcome, though the run also violates invariants.
    const parsed = JSON.parse(json.stdout) as { outcome: string; violations: unknown[] };
    expect(parsed.outcome).toBe('check-failed');
    expect(parsed.violations.length).toBeGreaterThan(0);
  });

  it('test: a file without expect is judged by its checks alone, under the variants they name', async () => {
    const both = join(dir, 'both.yaml');
    writeFileSync(
      both,
      scenario(`  - at: 100s
    check: { worker: A-1-1, is: Started, on: TE-2, variants: [as-is, fix-1a-merged] }
`),
    );
    const passing = await cli('test', both, '--json');
    expect(passing.code).toBe(0);
    expect(JSON.parse(passing.stdout)).toMatchObject({ passed: 2, failed: 0 });
    const failed = await cli('test', failing, '--no-color');
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('FAIL');
    expect(failed.stdout).toContain(
      'expected the RC holds TE-1 as Running(A-1-0), got the RC holds TE-1 as Pending',
    );
  });

  it('list checks: the vocabulary of each system', async () => {
    const { code, stdout } = await cli('list', 'checks', '--json');
    expect(code).toBe(0);
    const listed = JSON.parse(stdout) as { checks: Record<string, { id: string }[]> };
    expect(listed.checks.mantis?.map((c) => c.id)).toEqual([
      'rc',
      'pool',
      'worker',
      'job',
      'task',
      'reads',
      'pushed',
    ]);
    expect(listed.checks.ava?.map((c) => c.id)).toEqual([
      'assignment',
      'stream',
      'synced',
      'clock',
      'tickers',
      'handler',
      'sent',
      'notified',
      'monitors',
    ]);
  });
});
