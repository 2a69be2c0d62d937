import { describe, expect, it } from 'vitest';
import type { Simulation } from '../../src/engine/index.js';
import { msToUs } from '../../src/engine/index.js';
import type { RunResult } from '../../src/run/result.js';
import { runPlan } from '../../src/run/run-plan.js';
import { compilePlan } from '../../src/scenario/compile.js';
import { parseScenario } from '../../src/scenario/load.js';
import type { ConnectionRecord } from '../../src/systems/ava/connection.js';
import type { Engine } from '../../src/systems/ava/engine.js';
import type { OperatorProcess } from '../../src/systems/ava/operator.js';

/**
 * Each safety invariant reads the models' own state: the test breaks that state directly (no
 * actor reports anything) and the invariant fires at that event, or at the deadline the
 * invariant allows. A check fed by a copy the actors push would not see these breaks.
 */

const OPERATORS = [
  '    - { address: "0xA1", approved: true }',
  '    - { address: "0xB2", approved: true, connectAt: 2s }',
];

function scenario(operators: readonly string[], duration = '40s'): string {
  return [
    'name: break-state',
    'system: ava',
    `duration: ${duration}`,
    'cluster:',
    '  operators:',
    ...operators,
    '  tasks:',
    '    - { id: T1, trigger: event }',
    '',
  ].join('\n');
}

const engineOf = (sim: Simulation): Engine => {
  const engine = sim.instance<Engine>(sim.ref('aggregator', 'engine'));
  if (engine === undefined) throw new Error('the aggregator is down');
  return engine;
};
const connection = (sim: Simulation, id: number): ConnectionRecord => {
  const record = engineOf(sim).connections.get(id);
  if (record === undefined) throw new Error(`no connection c${id}`);
  return record;
};
const operator = (sim: Simulation, node: string): OperatorProcess => {
  const process = sim.instance<OperatorProcess>(sim.ref(node, 'worker'));
  if (process === undefined) throw new Error(`${node} is down`);
  return process;
};

/** Runs the scenario under `variant`, breaking state with `edit` at `atMs` (a callback event). */
function runBroken(
  text: string,
  variant: string,
  atMs: number,
  edit: (sim: Simulation) => void,
  set: Record<string, string> = {},
): RunResult {
  const plan = compilePlan(parseScenario(text, 'break-state.yaml'), { variant, set });
  return runPlan(plan, { instrument: (sim) => sim.at(msToUs(atMs), () => edit(sim)) });
}

function firstAtMs(result: RunResult, invariant: string): number | undefined {
  return result.violations.find((v) => v.invariant === invariant)?.atMs;
}

describe('ava: every safety invariant reads the model state the test breaks', () => {
  it('the unbroken run violates nothing (so each break below is what fires)', () => {
    // Act
    const clean = runBroken(scenario(OPERATORS), 'fixed', 20_000, () => undefined);
    // Assert
    expect(clean.violations).toEqual([]);
  });

  it('single-ticker: a cancelled, exited handler made live again is a second ticker of 0xA1', () => {
    // Arrange: 0xA1 reconnects at 15s (c3 cancels c1's ticker)
    const text = scenario(OPERATORS) + 'timeline:\n  - at: 15s\n    connect: { operator: "0xA1" }\n';
    // Act
    const result = runBroken(text, 'fixed', 20_000, (sim) => {
      const c1 = connection(sim, 1);
      c1.cancelled = false;
      c1.exited = false;
    });
    // Assert
    expect(firstAtMs(result, 'single-ticker')).toBe(20_000);
    expect(result.violations.find((v) => v.invariant === 'single-ticker')?.message).toContain('(c1, c3)');
  });

  it('no-empty-assignment: taskAssignments[T1] = ""', () => {
    // Act
    const result = runBroken(scenario(OPERATORS), 'fixed', 20_000, (sim) =>
      engineOf(sim).taskAssignments.set('T1', ''),
    );
    // Assert
    expect(firstAtMs(result, 'no-empty-assignment')).toBe(20_000);
  });

  it("stream-is-newest: operatorStreams loses 0xA1's open connection", () => {
    // Act
    const result = runBroken(scenario(OPERATORS), 'fixed', 20_000, (sim) =>
      engineOf(sim).operatorStreams.delete('0xA1'),
    );
    // Assert
    expect(firstAtMs(result, 'stream-is-newest')).toBe(20_000);
  });

  it('tick-progress: a handler busy in its tick body for 2s', () => {
    // Act
    const result = runBroken(scenario(OPERATORS), 'fixed', 20_000, (sim) => {
      connection(sim, 1).busy = { part: 'tick body', sinceUs: msToUs(18_000), sends: 0, parked: null };
    });
    // Assert
    expect(firstAtMs(result, 'tick-progress')).toBe(20_000);
  });

  it('resync-after-reconnect: T1 marked synced for 0xA1 before its first tick is never sent, judged 10s + 2s + 1s after the connect', () => {
    // Arrange: only 0xA1, so T1 is owed to it
    const text = scenario([OPERATORS[0] as string]);
    // Act
    const result = runBroken(text, 'fixed', 5_000, (sim) =>
      engineOf(sim).trackSyncedTasks.get('0xA1')?.TaskID.add('T1'),
    );
    // Assert
    const acceptedMs = connection0AcceptedMs(result);
    expect(firstAtMs(result, 'resync-after-reconnect')).toBe(acceptedMs + 13_000);
  });

  it('live-owner: T1 handed to an operator that never connected, judged by the 1s sampler 15s later', () => {
    // Act: HEAD ticks every 15 min, so nothing reassigns T1 within the run
    const result = runBroken(scenario(OPERATORS), 'head', 20_000, (sim) =>
      engineOf(sim).taskAssignments.set('T1', '0xZZ'),
    );
    // Assert
    expect(firstAtMs(result, 'live-owner')).toBe(35_000);
  });

  it('send-once-per-connection: a second T1 in the log of c1', () => {
    // Act
    const result = runBroken(scenario(OPERATORS), 'fixed', 20_000, (sim) =>
      connection(sim, 1).sent.push('T1'),
    );
    // Assert
    expect(firstAtMs(result, 'send-once-per-connection')).toBe(20_000);
  });

  it('approved-only: an unapproved process counts one more MonitorTaskTrigger taken', () => {
    // Arrange
    const text = scenario([OPERATORS[0] as string, '    - { address: "0xB2", approved: false }']);
    // Act
    const result = runBroken(text, 'fixed', 20_000, (sim) => {
      operator(sim, '0xB2')['receipts']++;
    });
    // Assert
    expect(firstAtMs(result, 'approved-only')).toBe(20_000);
  });

  it('single-monitor: 0xB2 holds a local check for T1 that 0xA1 also holds', () => {
    // Act
    const result = runBroken(scenario(OPERATORS), 'fixed', 20_000, (sim) =>
      operator(sim, '0xB2')['checks'].set('T1', { trigger: 'event', jobs: 1 }),
    );
    // Assert
    expect(firstAtMs(result, 'single-monitor')).toBe(20_000);
  });

  it("cancel-reaches-monitors: T1's DB row turns canceled behind the engine's back, judged 3s + 1s later", () => {
    // Act
    const result = runBroken(scenario(OPERATORS), 'fixed', 20_000, (sim) => {
      const row = engineOf(sim).db.get('T1');
      if (row !== undefined) row.status = 'canceled';
    });
    // Assert
    expect(firstAtMs(result, 'cancel-reaches-monitors')).toBe(24_000);
  });

  it("no-resend-after-delete: T1's DB row turns deleted before the first send, which is the violation", () => {
    // Arrange: only 0xA1, whose first tick sends T1 at about 10s
    const text = scenario([OPERATORS[0] as string]);
    // Act
    const result = runBroken(text, 'fixed', 5_000, (sim) => {
      const row = engineOf(sim).db.get('T1');
      if (row !== undefined) row.status = 'deleted';
    });
    // Assert
    const send = result.notes.find(
      (n) => n.category === 'send' && n.text.startsWith('MonitorTaskTrigger(T1)'),
    );
    expect(send).toBeDefined();
    expect(firstAtMs(result, 'no-resend-after-delete')).toBe((send?.atUs ?? 0) / 1000);
  });
});

function connection0AcceptedMs(result: RunResult): number {
  const begin = result.notes.find((n) => n.category === 'span-begin' && n.entities['connection'] === 'c1');
  if (begin === undefined) throw new Error('c1 never started');
  return begin.atUs / 1000;
}
