// examples/lease run as a user runs it: the installed CLI, from the example's own folder, which
// finds the plug-in through its clustersim.config.ts. Fuzzing and comparing give the same results
// with one worker as with two (the pool threads load the same plug-in), and a shrunk repro replays.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from '../built.js';

const BIN = join(ROOT, 'bin', 'clustersim.js');
const LEASE = join(ROOT, 'examples', 'lease');

function clustersim(args: string[], cwd = LEASE): { code: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface FuzzJson {
  readonly workers: number;
  readonly findings: readonly { seed: number; invariant: string; atMs: number; shrunk?: string }[];
}

/** The fuzz campaign of the example with `workers`: its findings and its shrunk repro files. */
function fuzz(workers: number): { json: FuzzJson; files: Record<string, string>; out: string } {
  const out = mkdtempSync(join(tmpdir(), `clustersim-lease-w${workers}-`));
  const run = clustersim([
    'fuzz',
    'scenarios/crashes.yaml',
    '--variant',
    'reuse',
    // Seeds 17 and 20 of these find the bug (see the compare table's rate).
    '--from-seed',
    '11',
    '--seeds',
    '10',
    '--max-repros',
    '2',
    '--workers',
    String(workers),
    '--out',
    out,
    '--json',
    '--no-progress',
  ]);
  expect(run.stderr).not.toContain('internal error');
  expect(run.code).toBe(1);
  const files: Record<string, string> = {};
  for (const name of readdirSync(out).sort())
    files[name] = readFileSync(join(out, name), 'utf8').replaceAll(out, '<out>');
  return { json: JSON.parse(run.stdout) as FuzzJson, files, out };
}

describe('examples/lease through the CLI', () => {
  beforeAll(() => {
    expect(ensureBuilt('dist/.tsbuildinfo', ['src', 'bench'])).toBe(true);
  }, 120_000);

  it('is listed by `list systems` in its folder, from its clustersim.config.ts', () => {
    const listed = clustersim(['list', 'systems', '--json']);
    expect(listed.code).toBe(0);
    const ids = (JSON.parse(listed.stdout) as { systems: { id: string }[] }).systems.map((s) => s.id);
    expect(ids).toEqual(['mantis', 'ava', 'lease']);
  });

  it('meets its scenarios’ expect: reuse lets a zombie write through, fencing refuses it', () => {
    const tested = clustersim(['test', 'scenarios/', '--exact']);
    expect(tested.stdout).toContain(
      'PASS scenarios/restart.yaml [reuse, seed 2]: violated no-zombie-write as expected',
    );
    expect(tested.stdout).toContain('3 passed, 0 failed');
    expect(tested.code).toBe(0);
    const run = clustersim(['run', 'scenarios/restart.yaml']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('applied a write of w1#0 after one of w1#1');
  });

  it('fuzzes to the same findings and the same shrunk repros with --workers 1 and --workers 2', () => {
    const one = fuzz(1);
    const two = fuzz(2);
    expect(two.json.workers).toBe(2);
    expect(one.json.findings.length).toBeGreaterThan(0);
    const key = (f: FuzzJson['findings'][number]): string => `${f.seed} ${f.invariant} ${f.atMs}`;
    expect(two.json.findings.map(key)).toEqual(one.json.findings.map(key));
    expect(Object.keys(one.files).some((name) => name.endsWith('.min.yaml'))).toBe(true);
    expect(two.files).toEqual(one.files);

    // The shrunk repro replays to its finding and its stored traceHash.
    const shrunk = one.json.findings.find((f) => f.shrunk !== undefined)?.shrunk as string;
    const replay = clustersim(['run', shrunk]);
    expect(replay.code).toBe(1);
    expect(replay.stdout).toContain('no-zombie-write');
    expect(replay.stderr).not.toMatch(/traceHash/i);
  }, 120_000);

  it('compares the variants to the same table with --workers 1 and --workers 2', () => {
    const table = (workers: number): string => {
      const run = clustersim([
        'compare',
        'scenarios/crashes.yaml',
        '--seeds',
        '40',
        '--workers',
        String(workers),
      ]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      return run.stdout;
    };
    const one = table(1);
    expect(one).toMatch(/no-zombie-write/);
    expect(table(2)).toBe(one);
  }, 60_000);

  it('works with --trace, merge and the JSON Schema of `list schema` like a built-in system', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clustersim-lease-more-'));
    const traced = clustersim(['run', 'scenarios/restart.yaml', '--trace', join(dir, 'run.trace.json')]);
    expect(traced.code).toBe(1);
    const trace = JSON.parse(readFileSync(join(dir, 'run.trace.json'), 'utf8')) as { traceEvents: unknown[] };
    expect(JSON.stringify(trace.traceEvents)).toContain('"coordinator"');

    for (const shard of ['1/2', '2/2'])
      expect(
        clustersim([
          'fuzz',
          'scenarios/crashes.yaml',
          '--variant',
          'reuse',
          '--seeds',
          '30',
          '--shard',
          shard,
          '--no-shrink',
          '--workers',
          '1',
          '--out',
          join(dir, 'found'),
          '--report',
          join(dir, `${shard[0]}.json`),
        ]).code,
      ).toBe(1);
    const merged = clustersim(['merge', join(dir, '1.json'), join(dir, '2.json'), '--json']);
    expect(merged.code).toBe(0);
    const report = JSON.parse(merged.stdout) as { system: string; seedsRun: number; findings: unknown[] };
    expect([report.system, report.seedsRun]).toEqual(['lease', 30]);
    expect(report.findings.length).toBeGreaterThan(0);

    const schema = JSON.parse(clustersim(['list', 'schema']).stdout) as {
      properties: { system: { anyOf: { enum?: string[] }[] } };
    };
    expect(schema.properties.system.anyOf[0]?.enum).toContain('lease');
  }, 60_000);

  it('type-checks against the published types (dist/*.d.ts, through the package exports)', () => {
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', LEASE], {
      encoding: 'utf8',
    });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  }, 60_000);
});
