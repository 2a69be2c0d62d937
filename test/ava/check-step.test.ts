// The Ava `check` vocabulary: facts read from the Engine's maps, its handlers and the operator
// processes; bad references rejected with positions; a check never changes the run.
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/run/simulate.js';
import { parseScenario } from '../../src/scenario/load.js';
import { problemsOf } from '../helpers/scenario-problems.js';

/** One approved operator 0xA1 with task T1; c1 at 0, a silent drop at 12s, c2 at 20s (spec S1). */
function scenario(steps: string, variant = 'fixed'): string {
  return `name: ava-checks
system: ava
variant: ${variant}
duration: 40s
cluster:
  operators:
    - { address: "0xA1", approved: true }
  tasks:
    - { id: T1, trigger: event }
timeline:
  - at: 12s
    drop: "0xA1"
  - at: 20s
    connect: { operator: "0xA1", clock: next }
${steps}`;
}

describe('ava check steps', () => {
  it('should read E1 from the engine under fixed: c1 exited, operatorStreams lost c2, T1 reclaimed on c2', () => {
    // Act
    const result = simulate(
      parseScenario(
        scenario(`  - at: 15s
    check: { sent: c1, task: T1 }
  - at: 15s
    check: { synced: "0xA1", is: [T1] }
  - at: 15s
    check: { monitors: "0xA1", is: [T1] }
  - at: 21s
    check: { handler: c1, is: exited }
  - at: 21s
    check: { stream: "0xA1", is: none }
  - at: 21s
    check: { tickers: "0xA1", is: 1 }
  - at: 31s
    check: { sent: c2, task: T1 }
  - at: 31s
    check: { assignment: T1, is: "0xA1" }
`),
        'c.yaml',
      ),
    );
    // Assert
    expect(result.checks.filter((c) => !c.holds).map((c) => c.actual)).toEqual([]);
    expect(result.checks).toHaveLength(8);
  });

  it('should fail a check that does not hold, naming what the engine holds', () => {
    // Act: under head the stale cleanup keeps c2's stream (d9d36f02), so "none" is wrong there.
    const result = simulate(
      parseScenario(
        scenario(
          `  - at: 21s
    check: { stream: "0xA1", is: none }
`,
          'head',
        ),
        'c.yaml',
      ),
    );
    // Assert
    expect(result.checks[0]?.holds).toBe(false);
    expect(result.checks[0]?.actual).toBe('operatorStreams[0xA1] is c2');
  });

  it("should keep what a connection's stream carried across an aggregator restart (connection numbers run on)", () => {
    // Act: c1 carried T1 at 10s; the restart at 35s loses the Engine, not that fact.
    const result = simulate(
      parseScenario(
        scenario(`  - at: 35s
    restart: aggregator
  - at: 36s
    check: { sent: c1, task: T1 }
  - at: 36s
    check: { sent: c2, task: T1, is: false }
  - at: 36s
    check: { handler: c2, is: exited }
`),
        'c.yaml',
      ),
    );
    // Assert: c1 still carried T1 (held); c2 carried it too, so "is: false" fails; c2 went down with its process.
    expect(result.checks.map((c) => c.holds)).toEqual([true, false, true]);
    expect(result.checks[1]?.actual).toBe(
      'MonitorTaskTrigger(T1) was sent on c2 (it carried [MonitorTaskTrigger(T1)])',
    );
  });

  it('should fail a check on a connection that was never accepted, instead of reading it as empty', () => {
    // Act
    const result = simulate(
      parseScenario(
        scenario(`  - at: 36s
    check: { sent: c9, task: T1, is: false }
  - at: 36s
    check: { notified: c9, is: [] }
  - at: 36s
    check: { handler: c9, is: exited }
`),
        'c.yaml',
      ),
    );
    // Assert
    expect(result.checks.map((c) => c.holds)).toEqual([false, false, false]);
    expect(result.checks.map((c) => c.actual)).toEqual(Array(3).fill('no connection c9 was ever accepted'));
  });

  it('should leave the run unchanged: same trace hash with and without checks', () => {
    // Act
    const plain = simulate(parseScenario(scenario(''), 'c.yaml'));
    const checked = simulate(
      parseScenario(
        scenario(`  - at: 21s
    check: { tickers: "0xA1", is: 1 }
`),
        'c.yaml',
      ),
    );
    // Assert
    expect(checked.traceHash).toBe(plain.traceHash);
  });

  it('should reject unknown operators, tasks and malformed connections with positions', () => {
    // Act
    const problems = problemsOf(
      scenario(`  - at: 21s
    check: { stream: "0xB2", is: c2 }
  - at: 21s
    check: { sent: c0, task: T1 }
  - at: 21s
    check: { assignment: T9, is: none }
`),
    );
    // Assert
    expect(problems.some((p) => /c\.yaml:\d+:\d+: .*unknown operator address '0xB2'/.test(p))).toBe(true);
    expect(problems.some((p) => /c\.yaml:\d+:\d+: .*expected a connection like c2/.test(p))).toBe(true);
    expect(problems.some((p) => /c\.yaml:\d+:\d+: .*unknown task 'T9'/.test(p))).toBe(true);
  });

  it('should show the aggregator and the processes in the state view', () => {
    // Act
    const result = simulate(parseScenario(scenario(''), 'c.yaml'));
    // Assert: at the end (fixed, after E1) the engine has no stream for 0xA1 but owns T1 through c2.
    expect(result.state.view).toMatchObject({
      aggregator: 'up',
      operatorStreams: {},
      handlers: { c1: { status: 'exited' }, c2: { status: 'running' } },
      processes: { '0xA1': { monitors: ['T1'] } },
    });
  });
});
