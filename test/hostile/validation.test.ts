// Issue 19 §4 and §10, issue 17 (loader usability): validation output stays small whatever the
// file, every problem comes in one pass, near misses get a "did you mean", and positions are
// right for aliases and CR-only files.
import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError } from '../../src/scenario/load.js';

function problems(text: string): string[] {
  try {
    parseScenario(text, 'f.yaml');
  } catch (error) {
    if (error instanceof ScenarioError) return error.message.split('\n');
    throw error;
  }
  return [];
}

const HEAD = 'name: x\nsystem: mantis\nduration: 1h\n';

describe('validation output stays bounded', () => {
  it('unknown nodes of a 100 000-executor cluster: short allowed lists, problems capped with a count', () => {
    const steps = Array.from({ length: 200 }, (_, i) => `  - at: ${i}s\n    crash: TE-0${i}\n`).join('');
    const lines = problems(`${HEAD}cluster:\n  executors: 100000\ntimeline:\n${steps}`);
    expect(lines).toHaveLength(101);
    expect(lines[0]).toBe(
      "f.yaml:8:12: timeline[0].crash: unknown node 'TE-00' (allowed: control-plane, TE-1, TE-2, TE-3, TE-4, TE-5, TE-6, TE-7, TE-8, TE-9, … and 99 991 more)",
    );
    expect(lines.at(-1)).toBe(
      'f.yaml: … and 100 more problem(s) not shown (at most 100 per file; fix these first)',
    );
    expect(lines.join('\n').length).toBeLessThan(30_000);
  });

  it('unknown executors in placements are shortened too', () => {
    const names = Array.from({ length: 3000 }, (_, i) => `E${i}`).join(', ');
    const jobs = Array.from(
      { length: 300 },
      (_, j) => `    - { id: J${j}, stages: [2], placement: [[X${j}, Y${j}]] }\n`,
    ).join('');
    const text = problems(`${HEAD}cluster:\n  executors: [${names}]\n  jobs:\n${jobs}`).join('\n');
    expect(text).toMatch(/unknown executor 'X0' \(allowed: E0, E1, .*, E9, … and 2 990 more\)/);
    expect(text.length).toBeLessThan(30_000);
  });

  it('a list of executors beyond the documented limit is refused with the limit', () => {
    const names = Array.from({ length: 100_001 }, (_, i) => `E${i}`).join(', ');
    expect(problems(`${HEAD}cluster:\n  executors: [${names}]\n`)).toEqual([
      'f.yaml:5:14: cluster.executors: at most 100000 executors',
    ]);
  });
});

describe('every problem in one pass (issue 17)', () => {
  it('a broken job does not hide an unknown node, a duplicate key does not hide the rest', () => {
    const lines = problems(
      [
        'name: x',
        'system: mantis',
        'duration: 1m',
        'duration: 2m',
        'variant: fix1a',
        'cluster:',
        '  executors: 3',
        '  jobs:',
        '    - { id: A, stages: [1], placement: [[TE-7]] }',
        'timeline:',
        '  - at: 10s',
        '    crash: TE-9',
        'expect:',
        '  as-is: [no-foreign-read, bogus]',
        '',
      ].join('\n'),
    );
    expect(lines.map((l) => l.replace(/ \(allowed: .*\)$/, ''))).toEqual([
      'f.yaml:4:1: YAML syntax: Map keys must be unique',
      "f.yaml:5:10: variant: unknown mantis variant 'fix1a' (did you mean 'fix-1a'?)",
      "f.yaml:9:42: cluster.jobs[0].placement[0][0]: unknown executor 'TE-7'",
      "f.yaml:12:12: timeline[0].crash: unknown node 'TE-9'",
      "f.yaml:14:28: expect.as-is[1]: unknown invariant 'bogus'",
    ]);
  });

  it('an unknown key of the cluster does not hide the timeline, and gets a did-you-mean', () => {
    const lines = problems(
      `${HEAD}cluster:\n  executors: 2\n  jobz: []\ntimeline:\n  - at: 1s\n    crash: TE-3\n`,
    );
    expect(lines).toEqual([
      "f.yaml:6:3: cluster.jobz: unknown key 'jobz' (did you mean 'jobs'?) (allowed: executors, jobs)",
      "f.yaml:9:12: timeline[0].crash: unknown node 'TE-3' (allowed: control-plane, TE-1, TE-2)",
    ]);
  });

  it('a misspelt system is checked as the one it names', () => {
    const lines = problems('name: x\nsystem: mantsi\nduration: 1m\ntimeline:\n  - at: 1s\n    crash: TE-9\n');
    expect(lines.map((l) => l.replace(/ \(allowed: .*\)$/, ''))).toEqual([
      "f.yaml:2:9: system: unknown system 'mantsi' (did you mean 'mantis'?)",
      "f.yaml:6:12: timeline[0].crash: unknown node 'TE-9'",
    ]);
  });

  it('did you mean: near-miss keys, actions and node names; nothing for a far one', () => {
    const lines = problems(
      `${HEAD}durattion: 1m\ncluster:\n  executors: [alpha, beta]\ntimeline:\n  - at: 1s\n    crsh: alpha\n  - at: 2s\n    crash: alpah\n  - at: 3s\n    crash: zzz\n`,
    );
    expect(lines.join('\n')).toMatch(/unknown key 'durattion' \(did you mean 'duration'\?\)/);
    expect(lines.join('\n')).toMatch(/unknown action 'crsh' \(did you mean 'crash'\?\)/);
    expect(lines.join('\n')).toMatch(/unknown node 'alpah' \(did you mean 'alpha'\?\)/);
    expect(lines.join('\n')).toMatch(/unknown node 'zzz' \(allowed:/);
  });

  it('an unquoted 0xA1 that became the number 161 gets a hint', () => {
    const lines = problems(
      'name: x\nsystem: ava\nduration: 1m\ncluster:\n  operators:\n    - { address: 0xA1 }\n',
    );
    expect(lines.join('\n')).toMatch(
      /got number 161; note: YAML read the unquoted 0xA1 as the number 161 \(quote it, '0xA1', to keep it as text\)/,
    );
  });
});

describe('positions and terminal safety (§10)', () => {
  it('an undefined alias is reported where it is', () => {
    expect(problems(`${HEAD}timeline: [*nope]\n`)).toEqual([
      'f.yaml:4:12: YAML: undefined alias *nope (no anchor &nope before it)',
    ]);
  });

  it('CR-only line ends give the real line', () => {
    expect(
      problems(
        `${HEAD}cluster:\n  executors: 3\ntimeline:\n  - at: 10s\n    crash: TE-9\n`.replace(/\n/g, '\r'),
      ),
    ).toEqual([
      "f.yaml:8:12: timeline[0].crash: unknown node 'TE-9' (allowed: control-plane, TE-1, TE-2, TE-3)",
    ]);
  });

  it('control characters from the file are escaped in messages', () => {
    const text = problems(`${HEAD}"\\e[31mred\\a": 1\n`).join('\n');
    // eslint-disable-next-line no-control-regex -- the point: no raw ESC or BEL
    expect(text).not.toMatch(/[\u0007\u001b]/);
    expect(text).toMatch(/unknown key '\\u001b\[31mred\\u0007'/);
  });

  it('two submit steps with one job id are an error, not a silently ignored second', () => {
    const lines = problems(
      `${HEAD}cluster:\n  executors: 2\ntimeline:\n  - at: 1s\n    submit: { id: C, stages: [1] }\n  - at: 2s\n    submit: { id: C, stages: [2] }\n`,
    );
    expect(lines).toEqual([
      "f.yaml:10:13: timeline[1].submit: job 'C' is already submitted by an earlier step",
    ]);
  });
});
