import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/run/result.js';
import { simulate } from '../../src/run/simulate.js';
import { loadScenario, parseScenario } from '../../src/scenario/load.js';

const report = loadScenario('scenarios/mantis/report.yaml');
const violation = (run: RunResult, id: string) => run.violations.find((v) => v.invariant === id);

describe('mantis report.yaml (discussion #781)', () => {
  it('as-is: stage 2 of A reads B-1-1 on TE-1 from about 4m06s until the heartbeat check at about 6m01s', () => {
    // Act
    const run = simulate(report, { variant: 'as-is' });
    // Assert: B-1-1 binds TE-1 at the 4m01s scheduler retry + 5s start; the consumers retry within 16s.
    const read = violation(run, 'no-foreign-read');
    expect(read).toBeDefined();
    expect(read!.atMs).toBeGreaterThanOrEqual(246_000);
    expect(read!.atMs).toBeLessThanOrEqual(263_000);
    expect(read!.message).toMatch(/^stage 2 of job A reads TE-1, which runs B-1-1 of job B/);
    expect(read!.entities).toMatchObject({
      job: 'A',
      stage: '2',
      te: 'TE-1',
      worker: 'B-1-1',
      foreignJob: 'B',
    });
    const end = read!.episodes[0]!.endMs!;
    expect(end).toBeGreaterThanOrEqual(360_000);
    expect(end).toBeLessThanOrEqual(362_000);
  });

  it('fix-1a-merged: no invariant breaks; one WorkerTerminate per reconnection', () => {
    const run = simulate(report, { variant: 'fix-1a-merged' });
    expect(run.violations).toEqual([]);
    const mantis = run.metrics.mantis as {
      notificationMessages: { byType: Record<string, number>; perReconnection: number };
    };
    expect(mantis.notificationMessages.byType).toEqual({ WorkerTerminate: 1 });
    expect(mantis.notificationMessages.perReconnection).toBe(1);
  });

  it('fix-1a as first written does not fix the reported path (heartbeat path, no registration)', () => {
    const run = simulate(report, { variant: 'fix-1a' });
    expect(violation(run, 'no-foreign-read')).toBeDefined();
    expect(run.metrics.messages.byType.TaskExecutorReconnectedEvent).toBeUndefined();
  });

  it("fix-3: the data plane refuses B's stream, so no foreign read, but the stale advertisement stays", () => {
    const run = simulate(report, { variant: 'fix-3' });
    expect(violation(run, 'no-foreign-read')).toBeUndefined();
    expect(violation(run, 'no-foreign-advertisement')).toBeDefined();
  });

  it("fix-2 delays TE-1's return to the pool by the quarantine", () => {
    const run = simulate(report, { variant: 'fix-2' });
    const mantis = run.metrics.mantis as { recyclingDelayMs: { perRestart: number[] } };
    expect(mantis.recyclingDelayMs.perRestart[0]).toBeGreaterThanOrEqual(300_000);
    expect(violation(run, 'no-foreign-read')).toBeUndefined();
  });

  it('is deterministic: the same seed gives the same trace hash, another seed another', () => {
    const a = simulate(report, { variant: 'as-is', seed: 7 });
    const b = simulate(report, { variant: 'as-is', seed: 7 });
    const c = simulate(report, { variant: 'as-is', seed: 8 });
    expect(a.traceHash).toBe(b.traceHash);
    expect(c.traceHash).not.toBe(a.traceHash);
  });
});

describe('mantis edge cases', () => {
  it("a leader failover reproduces the bug under head's reservation scheduler (edge case 7), not under FIX784's legacy one, which re-initialises the RC (mantis errata 1)", () => {
    const failover = loadScenario('scenarios/mantis/edge-07-failover.yaml');
    const merged = simulate(failover, { variant: 'fix-1a-merged' });
    expect(merged.violations).toEqual([]);
    // Before TE-1 is back, the new leader's RC already holds it as Running(A-1-0) again.
    const atInit = merged.checks.find((c) => c.atMs === 151_000);
    expect(atInit).toMatchObject({ holds: true, expected: 'the RC holds TE-1 as Running(A-1-0)' });
    expect(violation(simulate(failover, { variant: 'fix-1b' }), 'no-foreign-read')).toBeUndefined();
    expect(violation(simulate(failover, { variant: 'head' }), 'no-foreign-read')).toBeDefined();
    // 1C fires only on a fresh state: the re-initialised RC makes the failover the reported path.
    expect(violation(simulate(failover, { variant: 'fix-1c' }), 'no-foreign-read')).toBeDefined();
    expect(violation(simulate(failover, { variant: 'head+fix-1c' }), 'no-foreign-read')).toBeUndefined();
  });

  it('the order race stays: when the TE heartbeat beats the init and a placement lands between them, FIX784 is blind (edge-07b)', () => {
    const race = simulate(loadScenario('scenarios/mantis/edge-07b-failover-heartbeat-first.yaml'), {
      variant: 'fix-1a-merged',
    });
    expect(race.checks.filter((c) => !c.holds)).toEqual([]);
    expect(race.checks.map((c) => c.check)).toEqual(['rc', 'pool', 'rc', 'worker', 'reads']);
    expect(violation(race, 'no-foreign-read')).toBeDefined();
  });

  it('an empty upstream list is dropped: the consumers keep reading TE-1 under fix-1a-merged (edge case 8)', () => {
    const run = simulate(loadScenario('scenarios/mantis/edge-08-empty-list.yaml'), {
      variant: 'fix-1a-merged',
    });
    expect(
      run.notes.some(
        (n) => n.category === 'consumer' && n.text.includes('drops an update with an empty stage-1 list'),
      ),
    ).toBe(true);
    expect(violation(run, 'no-foreign-read')).toBeDefined();
    expect(
      violation(
        simulate(loadScenario('scenarios/mantis/edge-08-empty-list.yaml'), {
          variant: 'fix-1a-merged+fix-3',
        }),
        'no-foreign-read',
      ),
    ).toBeUndefined();
  });

  it.each([
    [60, '1m10s'],
    [60, '1m47s'],
    [120, '2m5s'],
    [180, '3m3s'],
  ])(
    'CHECK_HB detects a silent worker within (tol, tol + T] of its last heartbeat (T=%ss, crash at %s)',
    (timeoutS, crashAt) => {
      // Arrange: no restart, so only the JobActor's heartbeat check can notice.
      const text = readFileSync('scenarios/mantis/report.yaml', 'utf8')
        .replace(/workerTimeout: 120s/, `workerTimeout: ${timeoutS}s`)
        .replace(
          / {2}- at: 2m5s\n {4}crash: TE-1\n {2}- at: 3m5s\n {4}restart: TE-1\n/,
          `  - at: ${crashAt}\n    crash: TE-1\n`,
        )
        .replace(/\nexpect:[\s\S]*$/, '\n');
      // Act
      const run = simulate(parseScenario(text, 'check-hb.yaml'), { variant: 'as-is' });
      // Assert
      const detection = run.notes.find(
        (n) => n.category === 'detection' && n.text.startsWith('missed heartbeats: A-1-0 '),
      );
      expect(detection).toBeDefined();
      const silentS = Number(/last heard (\d+)s ago/.exec(detection!.text)![1]);
      const tol = Math.floor(1.5 * timeoutS);
      expect(silentS).toBeGreaterThan(tol);
      expect(silentS).toBeLessThanOrEqual(tol + timeoutS);
    },
  );
});
