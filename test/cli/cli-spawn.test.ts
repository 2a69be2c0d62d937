// bin/clustersim.js as users run it (it imports dist/: `npm test` builds first): one process per
// behaviour that needs one (a command's smoke test, a trace hash across processes, colour from the
// environment); messages and exit codes are checked in-process, without a node start-up each.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli-capture.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'clustersim.js');
const dir = mkdtempSync(join(tmpdir(), 'clustersim-spawn-'));

function clustersim(
  args: string[],
  env: Record<string, string> = {},
): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

// A small Ava scenario (specs/ava.md S1): a silent drop, then a reconnect.
const AVA = `# yaml-language-server: $schema=../../schema/scenario.schema.json
name: ava-drop
system: ava
duration: 60s
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
`;

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('bin/clustersim.js', () => {
  it('should validate the shipped scenarios', () => {
    const { code, stderr } = clustersim(['validate', 'scenarios/', '--quiet']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('should check a shipped scenario against its expect with `test` (every file: test/shipped-scenarios.test.ts)', () => {
    const { code, stdout } = clustersim([
      'test',
      'scenarios/ava/s1-silent-drop-reconnect.yaml',
      '--exact',
      '--json',
    ]);
    const report = JSON.parse(stdout) as { passed: number; failed: number };
    expect(report).toMatchObject({ passed: 3, failed: 0 });
    expect(code).toBe(0);
  });

  it('should exit 2 on a bad copy of a scenario, naming the line, the key and what is allowed, without a stack trace', async () => {
    const bad = file(
      'bad.yaml',
      AVA.replace('drop: "0xA1"', 'drop: "0xA9"')
        .replace('clock: next', 'clock: sometimes')
        .replace('duration: 60s', 'duration: 60s\nconfig:\n  tickerIntervall: 5s'),
    );
    const { code, stdout, stderr } = await cli('validate', bad);
    expect(code).toBe(2);
    expect(stdout).toBe('1 of 1 file(s) invalid\n');
    const lines = stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      new RegExp(
        `^${bad}:6:3: config.tickerIntervall: unknown key 'tickerIntervall' in config \\(did you mean 'tickerInterval'\\?\\) \\(allowed: tickerInterval, `,
      ),
    );
    expect(lines.slice(1)).toEqual([
      `${bad}:14:11: timeline[0].drop: unknown operator '0xA9' (did you mean '0xA1'?) (allowed: 0xA1)`,
      `${bad}:16:41: timeline[1].connect.clock: expected a number or one of same | lower | next, got 'sometimes'`,
    ]);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('should print one JSON object with --json and give the same traceHash in another process', () => {
    const path = file('ava.yaml', AVA);
    const first = clustersim(['run', path, '--variant', 'pre', '--json']);
    const second = clustersim(['run', path, '--variant', 'pre', '--json', '--seed', '1']);
    const a = JSON.parse(first.stdout) as {
      traceHash: string;
      violations: { invariant: string }[];
      variant: string;
    };
    const b = JSON.parse(second.stdout) as { traceHash: string };
    expect(a.variant).toBe('pre');
    expect(a.traceHash).toBe(b.traceHash);
    expect(first.code).toBe(a.violations.length > 0 ? 1 : 0);
  });

  it('should colour only when allowed: FORCE_COLOR colours, --no-color and NO_COLOR do not', () => {
    const path = file('ava.yaml', AVA);
    const ESC = '\u001b[';
    expect(clustersim(['run', path, '--quiet'], { FORCE_COLOR: '1' }).stdout).toContain(ESC);
    expect(clustersim(['run', path, '--quiet', '--no-color'], { FORCE_COLOR: '1' }).stdout).not.toContain(
      ESC,
    );
    expect(clustersim(['run', path, '--quiet'], { FORCE_COLOR: '1', NO_COLOR: '1' }).stdout).not.toContain(
      ESC,
    );
  });

  it('should answer --help with an example, and exit 2 on unknown commands, options and files', async () => {
    const help = await cli('run', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('$ clustersim run scenarios/');
    expect((await cli('frobnicate')).code).toBe(2);
    expect((await cli('run', file('x.yaml', AVA), '--bogus')).code).toBe(2);
    const missing = await cli('run', join(dir, 'nope.yaml'));
    expect([missing.code, missing.stderr]).toEqual([2, `${join(dir, 'nope.yaml')}: no such file\n`]);
  });
});
