// Mantis errata 2: the resubmit delays depend on the variant's era (BUG and FIX784: 5:10:20;
// HEAD: 5:10:30:60:120:600), and `resubmitIntervals` sets them.
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/run/simulate.js';
import { parseScenario, ScenarioError } from '../../src/scenario/load.js';

/** One TE, one worker; four crash-and-return cycles fail the slot four times (FIX784 detects each). */
function loop(extra = ''): string {
  return `name: resubmit-loop
system: mantis
duration: 5m
${extra}cluster:
  executors: 1
  jobs:
    - { id: A, stages: [1], placement: [[TE-1]] }
timeline:
  - { at: 30s, crash: TE-1 }
  - { at: 31s, restart: TE-1 }
  - { at: 60s, crash: TE-1 }
  - { at: 61s, restart: TE-1 }
  - { at: 100s, crash: TE-1 }
  - { at: 101s, restart: TE-1 }
  - { at: 150s, crash: TE-1 }
  - { at: 151s, restart: TE-1 }
  - at: 2m53s
    check: { worker: 'A-1-0#5', is: Launched, variants: [fix-1a-merged] }
  - at: 2m53s
    check: { worker: 'A-1-0#5', is: Accepted, variants: [head] }
`;
}

function delaysS(text: string, variant: string): number[] {
  const run = simulate(parseScenario(text, 'loop.yaml'), { variant });
  return run.notes
    .filter((n) => n.category === 'resubmit')
    .map((n) => Number(/ in (\d+)s$/.exec(n.text)?.[1] ?? 0));
}

describe('resubmit delays by era (mantis errata 2)', () => {
  it('FIX784 (and BUG) wait 0, 5, 10, 20 s for successive failures of a slot; head 0, 5, 10, 30 s', () => {
    expect(delaysS(loop(), 'fix-1a-merged')).toEqual([0, 5, 10, 20]);
    expect(delaysS(loop(), 'head')).toEqual([0, 5, 10, 30]);
  });

  it('shows in the job state: the fifth worker is placed 20 s after the fourth failure under FIX784, not 30 s', () => {
    for (const variant of ['fix-1a-merged', 'head']) {
      const run = simulate(parseScenario(loop(), 'loop.yaml'), { variant });
      expect(run.checks.map((c) => [c.expected, c.holds])).toEqual([
        [`worker A-1-0#5 is ${variant === 'head' ? 'Accepted' : 'Launched'}`, true],
      ]);
    }
  });

  it('resubmitIntervals sets the table, in a file or with --set, and the last one repeats', () => {
    expect(delaysS(loop('config: { resubmitIntervals: "5:10:30:60:120:600" }\n'), 'fix-1a-merged')).toEqual([
      0, 5, 10, 30,
    ]);
    expect(delaysS(loop('config: { resubmitIntervals: "1:2" }\n'), 'head')).toEqual([0, 1, 2, 2]);
    const set = simulate(parseScenario(loop(), 'loop.yaml'), {
      variant: 'fix-1a-merged',
      set: { resubmitIntervals: '7' },
    });
    expect(set.notes.filter((n) => n.category === 'resubmit').map((n) => n.text.endsWith(' in 7s'))).toEqual([
      false,
      true,
      true,
      true,
    ]);
  });

  it('rejects a malformed table at its position', () => {
    let error: unknown;
    try {
      parseScenario(loop('config: { resubmitIntervals: "5:ten" }\n'), 'loop.yaml');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as ScenarioError).message).toBe(
      "loop.yaml:4:30: config.resubmitIntervals: expected seconds separated by colons, like 5:10:20, got '5:ten'",
    );
  });
});
