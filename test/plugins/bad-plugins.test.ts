// A plug-in that cannot be used is bad input: exit 2, naming the file and what is wrong, never a
// stack trace or an internal error. And a scenario may name its plug-in module itself.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from '../built.js';

const BIN = join(ROOT, 'bin', 'clustersim.js');

function clustersim(args: string[], cwd: string): { code: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A project folder whose config lists `plugin.mjs` with this text. */
function projectWith(plugin: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'clustersim-plugin-'));
  writeFileSync(join(dir, 'clustersim.config.mjs'), "export default { systems: ['./plugin.mjs'] };\n");
  writeFileSync(join(dir, 'plugin.mjs'), plugin);
  mkdirSync(join(dir, 'sub'));
  return dir;
}

describe('plug-in modules', () => {
  beforeAll(() => {
    expect(ensureBuilt('dist/.tsbuildinfo', ['src', 'bench'])).toBe(true);
  }, 120_000);

  it.each([
    ['exports no system', 'export const answer = 42;\n', /exports no system/],
    [
      'throws while loading',
      "throw new Error('no database here');\n",
      /failed while loading: no database here/,
    ],
    [
      'exports an invalid descriptor',
      "export default { id: 'Lease Service', meaning: 'x' };\n",
      /invalid system: 'id' must be a lower-case name/,
    ],
    [
      'calls defineSystem without an invariant',
      `import { defineSystem, z } from 'clustersim';
export default defineSystem({ id: 'toy', meaning: 'x', controlPlaneNode: 'hub', defaultVariant: 'fixed',
  variants: [{ id: 'bug', meaning: 'x' }], invariants: [], clusterSchema: z.strictObject({}),
  nodes: () => ['hub'], faultTargets: () => [], build: () => ({ view: {}, applyAction() {}, metrics: () => ({}) }) });
`,
      /failed while loading: 'invariants' must list at least one/,
    ],
  ])('exits 2 naming the file when the plug-in %s', (_, plugin, reason) => {
    const dir = projectWith(plugin);
    // From a sub-folder: the config is found in a parent, as vitest finds its own.
    const listed = clustersim(['list', 'systems'], join(dir, 'sub'));
    expect(listed.code).toBe(2);
    expect(listed.stderr).toContain(join(dir, 'plugin.mjs'));
    expect(listed.stderr).toMatch(reason);
    expect(listed.stderr).not.toMatch(/internal error|\n\s+at /);
  });

  it('exits 2 at the `system:` line when a scenario names a module that does not exist', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clustersim-plugin-'));
    writeFileSync(join(dir, 's.yaml'), 'name: s\nsystem: ./models/nope.ts\nduration: 10s\n');
    const run = clustersim(['validate', 's.yaml'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^s\.yaml:2:9: system: cannot load \/.*\/models\/nope\.ts: no such file\n$/);
  });

  it('loads a TypeScript model a scenario names by path, and its repro names it again so it replays elsewhere', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clustersim-plugin-'));
    mkdirSync(join(dir, 'models'));
    copyFileSync(join(ROOT, 'examples/lease/lease.ts'), join(dir, 'models/lease.ts'));
    writeFileSync(
      join(dir, 'crashes.yaml'),
      `name: own-lease
system: ./models/lease.ts
variant: reuse
duration: 2m
network: { latency: [1ms, 2s] }
cluster: { workers: 3 }
faults:
  crash: { every: 10s, restartAfter: [100ms, 2s] }
`,
    );
    const out = join(dir, 'found');
    const fuzzed = clustersim(
      ['fuzz', 'crashes.yaml', '--seeds', '40', '--stop-on-first', '--workers', '2', '--out', out, '--json'],
      dir,
    );
    expect(fuzzed.code).toBe(1);
    const finding = (JSON.parse(fuzzed.stdout) as { findings: { shrunk: string }[] }).findings[0];
    // Replayed from another folder, without a project config: the file names its module.
    const replay = clustersim(['run', finding?.shrunk ?? ''], tmpdir());
    expect(replay.stdout).toContain('no-zombie-write');
    expect(replay.code).toBe(1);
  }, 60_000);
});
