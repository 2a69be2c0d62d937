// Issue 19 §9: a scenario directory with a subdirectory that cannot be read exits 2 with a
// message (it was exit 70 and a stack). Root reads every directory whatever its mode, so the
// failure is injected: readdirSync answers EACCES for one folder.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

const locked = vi.hoisted(() => ({ dir: '' }));

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const readdirSync = ((path: string, ...rest: never[]) => {
    if (locked.dir !== '' && String(path) === locked.dir)
      throw Object.assign(new Error(`EACCES: permission denied, scandir '${path}'`), { code: 'EACCES' });
    return (real.readdirSync as (...a: unknown[]) => unknown)(path, ...rest);
  }) as typeof real.readdirSync;
  return { ...real, default: { ...real, readdirSync }, readdirSync };
});

const { cli } = await import('../helpers/cli-capture.js');

describe('an unreadable subdirectory', () => {
  it('validate exits 2 naming the directory, no stack', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clustersim-dir-'));
    writeFileSync(join(dir, 'a.yaml'), 'name: a\nsystem: ava\nduration: 1m\n');
    mkdirSync(join(dir, 'private'));
    locked.dir = join(dir, 'private');
    const { code, stderr } = await cli('validate', dir);
    locked.dir = '';
    expect(stderr).toBe(`${join(dir, 'private')}: cannot read this directory (permission denied)\n`);
    expect(code).toBe(2);
  });
});
