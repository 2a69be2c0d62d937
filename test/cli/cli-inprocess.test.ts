// The CLI's commands run in-process against the test-only toy system (the real models are
// exercised by cli-spawn.test.ts through bin/clustersim.js).
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerSystemForTests } from '../../src/systems/registry.js';
import { toyModel } from '../scenario/toy-model.js';
import { cli } from '../helpers/cli-capture.js';

let unregister: () => void = () => undefined;
let dir = '';
beforeAll(() => {
  unregister = registerSystemForTests(toyModel as never);
  dir = mkdtempSync(join(tmpdir(), 'clustersim-cli-'));
});
afterAll(() => unregister());

const CRASHY =
  '# yaml-language-server: $schema=../../schema/scenario.schema.json\nname: crashy\nsystem: toy\nduration: 1m\ncluster: { workers: 2 }\ntimeline:\n  - at: 10s\n    crash: w1\n  - at: 20s\n    restart: w1\nexpect:\n  plain: [all-workers-up]\n  strict: [all-workers-up]\n';

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('clustersim run', () => {
  it('should exit 1 on a violation, tell it in words and end with the exact re-run command', async () => {
    const path = file('crashy.yaml', CRASHY);
    const { code, stdout, stderr } = await cli('run', path);
    expect(code).toBe(1);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/✗ all-workers-up violated: worker w1 is down/);
    expect(stdout.trimEnd().split('\n').at(-1)).toBe(
      `re-run: clustersim run ${path} --seed 1 --variant plain`,
    );
  });

  it('should exit 0 when every invariant held', async () => {
    const path = file('calm.yaml', 'name: calm\nsystem: toy\nduration: 30s\n');
    const { code, stdout } = await cli('run', path, '--seed', '4', '--variant', 'strict', '--quiet');
    expect(code).toBe(0);
    expect(stdout).toContain('✓ every invariant held');
    expect(stdout).toContain('--seed 4 --variant strict');
  });

  it('should print exactly one JSON object with --json and write a Perfetto trace with --trace', async () => {
    const tracePath = join(dir, 'out.trace.json');
    const { code, stdout } = await cli(
      'run',
      file('crashy.yaml', CRASHY),
      '--json',
      '--trace',
      tracePath,
      '--set',
      'beatInterval=2s',
    );
    expect(code).toBe(1);
    const json = JSON.parse(stdout) as {
      scenario: string;
      seed: number;
      violations: { invariant: string; atMs: number }[];
      traceHash: string;
    };
    expect([json.scenario, json.seed, json.violations.map((v) => [v.invariant, v.atMs])]).toEqual([
      'crashy',
      1,
      [['all-workers-up', 10_000]],
    ]);
    const trace = JSON.parse(readFileSync(tracePath, 'utf8')) as { traceEvents: { ph: string }[] };
    expect(trace.traceEvents.some((e) => e.ph === 's')).toBe(true);
  });

  it('should exit 2 with one line per bad flag and no stack trace', async () => {
    const { code, stdout, stderr } = await cli(
      'run',
      file('crashy.yaml', CRASHY),
      '--set',
      'retries=x',
      '--set',
      'bogus=1',
      '--variant',
      'nope',
    );
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toEqual([
      "--variant: unknown variant 'nope' (allowed: plain, strict)",
      "--set: retries: expected an integer, got 'x'",
      "--set: unknown key 'bogus' (allowed: beatInterval, retries, ratio, eager, mode)",
    ]);
    expect((await cli('run', file('crashy.yaml', CRASHY), '--seed', 'abc')).stderr).toBe(
      "clustersim: --seed: 'abc' is not a seed (allowed: an integer from 0 to 9007199254740991)\n",
    );
  });

  it('should take --no-color before the command as well as after it', async () => {
    const path = file('crashy-color.yaml', CRASHY);
    // Colour forced on and NO_COLOR cleared (it may be set where the suite runs), so --no-color decides.
    const previous = { FORCE_COLOR: process.env.FORCE_COLOR, NO_COLOR: process.env.NO_COLOR };
    process.env.FORCE_COLOR = '1';
    delete process.env.NO_COLOR;
    try {
      // eslint-disable-next-line no-control-regex -- the escape character is what this test looks for
      const ansi = /\u001b\[/;
      expect((await cli('run', path)).stdout).toMatch(ansi);
      expect((await cli('--no-color', 'run', path)).stdout).not.toMatch(ansi);
      expect((await cli('run', path, '--no-color')).stdout).not.toMatch(ansi);
      expect((await cli('--no-color', 'list', 'invariants', '--system', 'toy')).stdout).not.toMatch(ansi);
    } finally {
      for (const [key, value] of Object.entries(previous)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  it('should write the shrunk scenario and, with --trace, the Perfetto trace of its replay', async () => {
    const path = file('crashy-shrink.yaml', CRASHY);
    const out = join(dir, 'crashy-shrink.min.yaml');
    const trace = join(dir, 'crashy-shrink.trace.json');
    const { code, stdout } = await cli('shrink', path, '--out', out, '--trace', trace, '--no-color');
    expect(code).toBe(0);
    expect(stdout).toContain(`trace of its run written to ${trace}`);
    const written = JSON.parse(readFileSync(trace, 'utf8')) as {
      traceEvents: unknown[];
      metadata: { traceHash: string };
    };
    expect(written.traceEvents.length).toBeGreaterThan(0);
    expect(written.metadata.traceHash).toBe(/^traceHash: (\w+)$/m.exec(readFileSync(out, 'utf8'))?.[1]);
  });

  it('should exit 2 with a clear message, before running, when --trace cannot be written', async () => {
    const path = file('crashy-trace.yaml', CRASHY);
    const blocker = file('not-a-dir', '');
    const { code, stdout, stderr } = await cli('run', path, '--trace', join(blocker, 'trace.json'));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `clustersim: cannot write ${join(blocker, 'trace.json')}: ${blocker} is not a directory\n`,
    );
  });

  it('should refuse, before any seed runs, a fuzz whose --report or --out cannot be written', async () => {
    const path = file('crashy-fuzz.yaml', CRASHY);
    const blocker = file('not-a-dir-either', '');
    const report = await cli('fuzz', path, '--seeds', '3', '--workers', '1', '--report', dir);
    expect(report.code).toBe(2);
    expect(report.stderr).toBe(`clustersim: cannot write ${dir}: it is a directory\n`);
    const out = await cli('fuzz', path, '--seeds', '3', '--workers', '1', '--out', blocker);
    expect(out.code).toBe(2);
    expect(out.stderr).toBe(`clustersim: cannot write ${blocker}: it exists and is not a directory\n`);
    expect(report.stdout + out.stdout).toBe('');
  });

  it('should warn loudly and exit 1 when a recorded traceHash does not replay', async () => {
    // Arrange
    const calm = 'name: calm\nsystem: toy\nduration: 30s\n';
    const honest = JSON.parse((await cli('run', file('calm.yaml', calm), '--json')).stdout) as {
      traceHash: string;
    };
    // Act
    const good = await cli('run', file('good.yaml', `${calm}traceHash: ${honest.traceHash}\n`));
    const bad = await cli('run', file('bad.yaml', `${calm}traceHash: 0123456789abcdef\n`));
    const otherSeed = await cli(
      'run',
      file('bad.yaml', `${calm}traceHash: 0123456789abcdef\n`),
      '--seed',
      '2',
    );
    // Assert
    expect([good.code, good.stderr]).toEqual([0, '']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('NON-DETERMINISM WARNING');
    expect(bad.stderr).toContain(honest.traceHash);
    expect(otherSeed.code).toBe(0);
  });
});

describe('clustersim test, validate, list', () => {
  it('should pass scenarios whose expectations hold, fail mismatches with exit 1, and exit 2 on invalid files', async () => {
    // Arrange
    const suite = join(dir, 'suite');
    mkdirSync(join(suite, 'nested'), { recursive: true });
    writeFileSync(join(suite, 'crashy.yaml'), CRASHY);
    writeFileSync(
      join(suite, 'nested', 'wrong.yml'),
      CRASHY.replace('  strict: [all-workers-up]', '  strict: []'),
    );
    writeFileSync(join(suite, 'notes.txt'), 'not a scenario');
    // Act
    const pass = await cli('test', join(suite, 'crashy.yaml'));
    const mixed = await cli('test', suite);
    const invalid = await cli('test', suite, file('broken.yaml', 'name: x\n'));
    // Assert
    expect(pass.code).toBe(0);
    expect(pass.stdout).toContain(
      `PASS ${join(suite, 'crashy.yaml')} [strict, seed 1]: violated all-workers-up as expected`,
    );
    expect(mixed.code).toBe(1);
    expect(mixed.stdout).toContain(
      `FAIL ${join(suite, 'nested', 'wrong.yml')} [strict, seed 1]: expected no violation, got [all-workers-up]`,
    );
    expect(mixed.stdout).toContain('3 passed, 1 failed');
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('broken.yaml:1:1: system: missing');
  });

  it('should validate files and directories: 0 when valid, 2 with file:line:col lines when not', async () => {
    const good = await cli('validate', file('crashy.yaml', CRASHY));
    const bad = await cli(
      'validate',
      file('crashy.yaml', CRASHY),
      file('typo.yaml', CRASHY.replace('crash: w1', 'crash: w9')),
    );
    expect([good.code, bad.code]).toEqual([0, 2]);
    expect(bad.stderr).toBe(
      `${join(dir, 'typo.yaml')}:8:12: timeline[0].crash: unknown node 'w9' (allowed: hub, w1, w2)\n`,
    );
    expect((await cli('validate', join(dir, 'missing.yaml'))).stderr).toBe(
      `${join(dir, 'missing.yaml')}: no such file or directory\n`,
    );
  });

  it('should list invariants with their meaning and reject unknown sections', async () => {
    const { code, stdout } = await cli('list', 'invariants', '--system', 'toy');
    expect(code).toBe(0);
    expect(stdout).toMatch(/hub-heard-everyone\s+\[liveness\] the hub heard every worker/);
    expect((await cli('list', 'colours')).code).toBe(2);
  });
});
