// Issue 19 §6, §9, §10: inputs that are not scenario files or reports are refused with a
// message and exit 2 — never read until memory runs out, never a stack trace.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandScenarioPaths } from '../../src/cli/paths.js';
import { cli } from '../helpers/cli-capture.js';
import { validReport } from './reports.js';

const STACK = /\n\s+at /;

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'clustersim-in-'));
}

const VALID = 'name: ok\nsystem: ava\nduration: 1m\n';

describe('unbounded and special inputs', () => {
  it('validate /dev/zero: refused at once as a device (exit 2)', async () => {
    const { code, stderr } = await cli('validate', '/dev/zero');
    expect(code).toBe(2);
    expect(stderr).toBe('/dev/zero: is a character device, not a regular file\n');
  });

  it('run /dev/urandom: refused the same way', async () => {
    const { code, stderr } = await cli('run', '/dev/urandom');
    expect(code).toBe(2);
    expect(stderr).toBe('/dev/urandom: is a character device, not a regular file\n');
  });

  it('merge /dev/zero: refused (exit 2)', async () => {
    const { code, stderr } = await cli('merge', '/dev/zero');
    expect(code).toBe(2);
    expect(stderr).toBe('clustersim: /dev/zero: is a character device, not a regular file\n');
  });

  it('a FIFO as a scenario is refused without waiting for a writer', async () => {
    const dir = scratch();
    execFileSync('mkfifo', [join(dir, 'in.yaml')]);
    const { code, stderr } = await cli('validate', join(dir, 'in.yaml'));
    expect(code).toBe(2);
    expect(stderr).toMatch(/in\.yaml: is a FIFO \(pipe\), not a regular file\n$/);
  });

  it('a scenario larger than the limit is refused before parsing', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'big.yaml'), `# ${'x'.repeat(9 * 1024 * 1024)}\n`);
    const { code, stderr } = await cli('validate', join(dir, 'big.yaml'));
    expect(code).toBe(2);
    expect(stderr).toMatch(/big\.yaml: file too large \(\d+ bytes; allowed: up to 8388608\)/);
  });
});

describe('merge checks what it merges', () => {
  const cases: [string, unknown, RegExp][] = [
    ['valid JSON that is not a report', { hello: 'world' }, /not a clustersim fuzz report \(at /],
    ['a list', [1, 2, 3], /not a clustersim fuzz report/],
    ['findings of the wrong shape', validReport({ findings: [{ seed: 'x' }] as never }), /at findings/],
    ['a report without version', { ...validReport(), clustersim: undefined }, /made by an older clustersim/],
    [
      'a report of another version',
      validReport({ clustersim: '0.0.1-other' }),
      /made by clustersim 0\.0\.1-other/,
    ],
  ];
  for (const [what, data, message] of cases) {
    it(`refuses ${what} with exit 2 and one line`, async () => {
      const dir = scratch();
      writeFileSync(join(dir, 'r.json'), JSON.stringify(data));
      const { code, stderr } = await cli('merge', join(dir, 'r.json'));
      expect(stderr).toMatch(message);
      expect(stderr).not.toMatch(STACK);
      expect(stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(code).toBe(2);
    });
  }

  it('refuses shards of a scenario edited between them', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'a.json'), JSON.stringify(validReport({ shards: [{ index: 1, count: 2 }] })));
    writeFileSync(
      join(dir, 'b.json'),
      JSON.stringify(validReport({ shards: [{ index: 2, count: 2 }], scenarioHash: 'ffffffffffffffff' })),
    );
    const { code, stderr } = await cli('merge', join(dir, 'a.json'), join(dir, 'b.json'));
    expect(stderr).toMatch(/b\.json: its scenario's content differs from .*a\.json's/);
    expect(code).toBe(2);
  });
});

describe('scenario directories', () => {
  it('follows symlinked scenarios and directories, visiting a loop once', () => {
    const dir = scratch();
    const elsewhere = scratch();
    writeFileSync(join(elsewhere, 'linked.yaml'), VALID);
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'plain.yaml'), VALID);
    symlinkSync(join(elsewhere, 'linked.yaml'), join(dir, 'a-link.yaml'));
    symlinkSync(elsewhere, join(dir, 'linked-dir'));
    symlinkSync(dir, join(dir, 'sub', 'loop'));
    expect(expandScenarioPaths([dir]).map((p) => p.slice(dir.length + 1))).toEqual([
      'a-link.yaml',
      'linked-dir/linked.yaml',
      'sub/plain.yaml',
    ]);
  });

  it('a broken link named *.yaml is reported, not skipped', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'a.yaml'), VALID);
    symlinkSync(join(dir, 'gone.yaml'), join(dir, 'b.yaml'));
    const { code, stderr } = await cli('validate', dir);
    expect(code).toBe(2);
    expect(stderr).toBe(`${join(dir, 'b.yaml')}: no such file\n`);
  });
});
