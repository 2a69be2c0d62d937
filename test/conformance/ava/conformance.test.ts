// The Ava conformance suite: each case translates one upstream test of AvaProtocol/EigenLayer-AVS
// (its setup, timings and assertion, at the commit its variant stands for: fixed = c20969c3,
// head = a15ce2f4). A YAML case carries upstream's assertions as `check` steps and names its
// upstream file, test and commit in its header; docs/conformance.md lists them with their status.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../../src/run/result.js';
import { simulate } from '../../../src/run/simulate.js';
import { loadScenario } from '../../../src/scenario/load.js';
import { supportsTaskTrigger } from '../../../src/systems/ava/approval.js';
import { TRIGGERS } from '../../../src/systems/ava/cluster.js';

const DIR = 'test/conformance/ava';
const CASES = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const A = '0x997E5D40a32c44a3D93E59fC55C4Fd20b7d2d49D';

function run(file: string): RunResult {
  return simulate(loadScenario(`${DIR}/${file}`));
}

function notesAt(result: RunResult, text: string): number[] {
  return result.notes.filter((n) => n.text.includes(text)).map((n) => n.atUs / 1000);
}

describe('ava conformance: every case runs under its variant and its checks hold', () => {
  it('has at least 20 cases, each naming its upstream file, test and commit', async () => {
    const { readFileSync } = await import('node:fs');
    expect(CASES.length + 1).toBeGreaterThanOrEqual(20); // + the library-API case below
    for (const file of CASES) {
      const header = readFileSync(`${DIR}/${file}`, 'utf8');
      expect(header, file).toMatch(/^# Upstream: \S+_test\.go,[\s#]*Test\w+/);
      expect(header, file).toMatch(/\b(c20969c3|a15ce2f4)\b/);
    }
  });

  it.each(CASES)('%s', (file) => {
    // Act
    const result = run(file);
    // Assert: no check failed; a case whose upstream test asserts nothing has none (see below).
    const failed = result.checks.filter((c) => !c.holds).map((c) => `${c.origin}: ${c.actual}`);
    expect(failed).toEqual([]);
    expect(result.stoppedEarly).toBeUndefined();
  });
});

describe('ava conformance: what the YAML checks cannot state', () => {
  it('03/05/07 (fixed) assert nothing upstream: the runs complete and no goroutine blocks', () => {
    for (const file of [
      '03-reconnection-race-fixed.yaml',
      '05-ticker-context-race-fixed.yaml',
      '07-connection-stabilization-fixed.yaml',
    ]) {
      // Act
      const result = run(file);
      // Assert
      expect(result.checks, file).toEqual([]);
      expect(
        result.violations.map((v) => v.invariant),
        file,
      ).not.toContain('tick-progress');
    }
  });

  it('06 (head) passes for the wrong reason: every second connect is rejected by the cooldown, so none cancels the first', () => {
    // Act
    const result = run('06-ticker-context-race-head.yaml');
    // Assert: five rejections at t+500ms, five accepts at the iterations' first connects.
    expect(notesAt(result, 'rejected: ResourceExhausted')).toEqual([500, 6600, 12_700, 18_800, 24_900]);
    expect(notesAt(result, `connected with capabilities: ${A} on c1`)).toEqual([0]);
    expect(notesAt(result, 'Canceling old ticker')).toEqual([6100, 12_200, 18_300, 24_400]);
  });

  it('20 (head) asserts only that the state it finds has a TaskID and a TickerCtx: simultaneous first connects are all accepted', () => {
    // Act
    const result = run('20-concurrent-access-head.yaml');
    // Assert: upstream's "if the state exists, TaskID and TickerCtx are not nil".
    const view = result.state.view as { operatorState: Record<string, { synced: string[]; ticker: string }> };
    expect(view.operatorState[A]?.synced).toEqual([]);
    expect(view.operatorState[A]?.ticker).toBe('c20');
    // The errata-2 path: 20 accepts at 0 (c2–c20 each cancel the one before), then 80 rejections.
    expect(notesAt(result, 'Canceling old ticker')).toHaveLength(19);
    expect(notesAt(result, 'rejected: ResourceExhausted')).toHaveLength(80);
  });

  it('21 (head) passes for the wrong reason: the 15 reconnections never reach the reconnect branch', () => {
    // Act
    const result = run('21-reconnection-race-condition-unit-head.yaml');
    // Assert: upstream's end state (TaskID and TickerCtx not nil), and why it holds.
    const view = result.state.view as { operatorState: Record<string, { clock: number; ticker: string }> };
    expect(view.operatorState[A]).toMatchObject({ clock: 1_000_000, ticker: 'c1' });
    expect(notesAt(result, 'rejected: ResourceExhausted')).toHaveLength(15);
    expect(notesAt(result, 'reconnected')).toEqual([]);
  });
});

describe('ava conformance: library-API cases (upstream unit tests of one function)', () => {
  // Upstream: core/taskengine/supports_task_trigger_test.go, TestSupportsTaskTrigger_MonitorableTypes,
  // at a15ce2f4 (HEAD; added in 720bb7c5). A fully capable operator (event, block and time
  // monitoring) supports each of the four monitorable trigger types.
  it('22 TestSupportsTaskTrigger_MonitorableTypes: every monitorable trigger is supported by a fully capable operator', () => {
    const capable = { event: true, block: true, time: true };
    for (const trigger of TRIGGERS) expect(supportsTaskTrigger(capable, trigger), trigger).toBe(true);
    expect(TRIGGERS).toEqual(['event', 'block', 'cron', 'fixedTime']);
  });
});
