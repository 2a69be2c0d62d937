// Every shipped violating scenario explains itself (issue #16): at most 12 lines, ending at the
// violating fact, naming the timeline step (fault) behind it and, for the Mantis reuse findings,
// the step the variant decides (the RC pooling the reused TE) and the assignment that read it.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Note } from '../../src/engine/index.js';
import type { Explanation, RunResult } from '../../src/run/result.js';
import { simulate } from '../../src/run/simulate.js';
import { WHY_LINES_MAX } from '../../src/run/why.js';
import { loadScenario } from '../../src/scenario/load.js';

interface Case {
  readonly file: string;
  readonly variant: string;
}

/** Every shipped scenario of `system` under each variant its `expect` says violates something. */
function violatingCases(system: string): Case[] {
  const cases: Case[] = [];
  for (const name of readdirSync(`scenarios/${system}`).sort()) {
    if (name === 'fuzz.yaml') continue;
    const file = `scenarios/${system}/${name}`;
    for (const [variant, invariants] of Object.entries(loadScenario(file).expect ?? {}))
      if (invariants.length > 0) cases.push({ file, variant });
  }
  return cases;
}

/** The notes an explanation's steps are (folds and fault records have none). */
function notesOf(explanation: Explanation, result: RunResult): Note[] {
  const bySeq = new Map(result.notes.map((n) => [n.seq, n]));
  return explanation.steps.flatMap((s) => {
    const note = s.seq === undefined ? undefined : bySeq.get(s.seq);
    return note === undefined ? [] : [note];
  });
}

/** The scenario's own steps before `atMs` naming one of `ids` (`crash TE-1`, `drop 0xA1`). */
function stepsNaming(result: RunResult, ids: ReadonlySet<string>, atMs: number): Note[] {
  return result.notes.filter(
    (n) =>
      n.node === 'scenario' && n.atUs <= atMs * 1000 && n.text.split(/[\s,:"{}]+/).some((w) => ids.has(w)),
  );
}

function checkCommon(result: RunResult): void {
  expect(result.why, 'one explanation per violation').toHaveLength(result.violations.length);
  for (const [i, explanation] of (result.why ?? []).entries()) {
    const violation = result.violations[i]!;
    expect(explanation.invariant).toBe(violation.invariant);
    expect(explanation.steps.length, explanation.invariant).toBeGreaterThan(0);
    expect(explanation.steps.length, explanation.invariant).toBeLessThanOrEqual(WHY_LINES_MAX);
    const ids = new Set(Object.values(violation.entities));
    const faults = stepsNaming(result, ids, violation.atMs);
    const named = new Set(notesOf(explanation, result).map((n) => n.seq));
    // Every fault naming the violation's ids is in its story.
    for (const fault of faults)
      expect(named.has(fault.seq), `${explanation.invariant}: ${fault.text}`).toBe(true);
  }
}

describe('why of the shipped Mantis scenarios', () => {
  it.each(violatingCases('mantis'))('$file under $variant', ({ file, variant }) => {
    // Act
    const result = simulate(loadScenario(file), { variant });
    // Assert
    checkCommon(result);
    for (const explanation of result.why ?? []) {
      const notes = notesOf(explanation, result);
      expect(
        notes.some((n) => n.node === 'scenario'),
        `${explanation.invariant} names a timeline step`,
      ).toBe(true);
      if (!explanation.invariant.startsWith('no-foreign-')) continue;
      // A reuse finding: the RC pooled the reused TE (the variant's decisive step), then assigned to it.
      const te = result.violations.find((v) => v.invariant === explanation.invariant)!.entities.te;
      expect(
        notes.some((n) => n.category === 'pool' && n.entities.te === te),
        'pooling',
      ).toBe(true);
      expect(
        notes.some((n) => n.category === 'assignment' && n.entities.te === te),
        'assignment',
      ).toBe(true);
      const pooling = explanation.steps.find((s) => s.text.startsWith(`RC pools ${te}`));
      expect(pooling?.text).toContain(variant);
    }
  });
});

describe('why of the shipped Ava scenarios', () => {
  it.each(violatingCases('ava'))('$file under $variant', ({ file, variant }) => {
    // Act
    const result = simulate(loadScenario(file), { variant });
    // Assert
    checkCommon(result);
  });

  it('names the drop that orphaned a task in the why of live-owner (s4 under fixed)', () => {
    // Act: 0xA1 is dropped at 12s; its handler's cleanup then deadlocks and T1 is left unassigned.
    const result = simulate(loadScenario('scenarios/ava/s4-deadlock.yaml'), { variant: 'fixed' });
    // Assert: the violation names who lost the task, so its why reaches that operator's fault.
    const violation = result.violations.find((v) => v.invariant === 'live-owner');
    expect(violation?.entities).toMatchObject({ task: 'T1', previousOwner: '0xA1' });
    const why = result.why?.find((e) => e.invariant === 'live-owner');
    expect(why?.steps.map((s) => s.text)).toContain('drop 0xA1');
  });
});

describe('why of the report', () => {
  it('tells the report as the issue does: crash, restart, pooling, assignment, the foreign read', () => {
    // Act
    const result = simulate(loadScenario('scenarios/mantis/report.yaml'));
    // Assert
    const read = result.why!.find((e) => e.invariant === 'no-foreign-read')!;
    const categories = notesOf(read, result).map((n) => `${n.node === 'scenario' ? n.text : n.category}`);
    const order = ['crash TE-1', 'restart TE-1', 'rc-state', 'pool', 'assignment', 'te', 'consumer'];
    const positions = order.map((step) => categories.lastIndexOf(step));
    expect(
      positions.every((p) => p >= 0),
      categories.join(' → '),
    ).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(
      read.steps.some((s) => (s.folded ?? 0) > 1),
      'reconnect attempts folded',
    ).toBe(true);
  });
});
