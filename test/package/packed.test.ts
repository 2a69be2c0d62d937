// The package as a user gets it: `npm pack`, installed into a fresh project (the tarball unpacked
// into its node_modules, its dependencies linked from this repository's to stay fast and
// offline). There the library example runs under vitest, and the lease example — a user's own
// TypeScript model — runs through the installed `clustersim` bin with the same results for any
// number of workers.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from '../built.js';

const project = mkdtempSync(join(tmpdir(), 'clustersim-packed-'));
const modules = join(project, 'node_modules');

function run(
  command: string,
  args: string[],
  cwd: string,
): { code: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  delete env.VITEST; // the nested vitest is a user's, not this run's worker
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The installed bin, run from the user's lease folder. */
function clustersim(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  return run(join(modules, '.bin', 'clustersim'), args, join(project, 'lease'));
}

describe('the packed package in a fresh project', () => {
  beforeAll(() => {
    expect(ensureBuilt('dist/.tsbuildinfo', ['src', 'bench'])).toBe(true);
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', project], {
        cwd: ROOT,
        encoding: 'utf8',
      }),
    ) as { filename: string }[];
    const installed = join(modules, 'clustersim');
    mkdirSync(installed, { recursive: true });
    execFileSync('tar', [
      '-xzf',
      join(project, packed[0]?.filename ?? ''),
      '-C',
      installed,
      '--strip-components=1',
    ]);
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    for (const dependency of [...Object.keys(manifest.dependencies), 'vitest'])
      symlinkSync(join(ROOT, 'node_modules', dependency), join(modules, dependency), 'dir');
    mkdirSync(join(modules, '.bin'));
    symlinkSync('../clustersim/bin/clustersim.js', join(modules, '.bin', 'clustersim'));
    writeFileSync(
      join(project, 'package.json'),
      '{ "name": "my-cluster", "private": true, "type": "module" }\n',
    );
    cpSync(join(ROOT, 'examples', 'library', 'scenario.test.ts'), join(project, 'scenario.test.ts'));
    cpSync(join(ROOT, 'examples', 'lease'), join(project, 'lease'), { recursive: true });
  }, 120_000);

  it('runs the library example (examples/library/scenario.test.ts) under vitest', () => {
    const vitest = run(
      process.execPath,
      [join(modules, 'vitest', 'vitest.mjs'), 'run', '--root', project],
      project,
    );
    expect(vitest.stdout + vitest.stderr).toMatch(/1 passed/);
    expect(vitest.code).toBe(0);
  }, 60_000);

  it('runs, fuzzes, shrinks and compares the lease model with the same results for 1 and 2 workers', () => {
    expect(clustersim('run', 'scenarios/restart.yaml').code).toBe(1);
    const fuzz = (workers: string): { seed: number; invariant: string; atMs: number; repro: string }[] => {
      const out = join(project, `found-${workers}`);
      const found = clustersim(
        ...[
          'fuzz',
          'scenarios/crashes.yaml',
          '--variant',
          'reuse',
          '--from-seed',
          '15',
          '--seeds',
          '6',
          '--no-shrink',
        ],
        ...['--workers', workers, '--out', out, '--json'],
      );
      expect(found.stderr).toBe('');
      expect(found.code).toBe(1);
      return (
        JSON.parse(found.stdout) as {
          findings: { seed: number; invariant: string; atMs: number; repro: string }[];
        }
      ).findings;
    };
    const one = fuzz('1');
    const two = fuzz('2');
    expect(one.length).toBeGreaterThan(0);
    expect(two.map((f) => [f.seed, f.invariant, f.atMs])).toEqual(
      one.map((f) => [f.seed, f.invariant, f.atMs]),
    );

    const min = join(project, 'min.yaml');
    const shrunk = clustersim('shrink', one[0]?.repro ?? '', '--out', min);
    expect(shrunk.stderr).not.toMatch(/unknown system|internal error/);
    expect(clustersim('run', min).stdout).toContain('no-zombie-write');

    const compare = (workers: string): string => {
      const table = clustersim('compare', 'scenarios/crashes.yaml', '--seeds', '6', '--workers', workers);
      expect(table.code).toBe(0);
      return table.stdout;
    };
    expect(compare('2')).toBe(compare('1'));
  }, 120_000);
});
