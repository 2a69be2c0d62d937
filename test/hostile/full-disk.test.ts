// Issue 19 §2: a full disk never leaves a truncated file in place of the old one. A short write
// is injected (writeSync writes half, then the disk is full); where the test runs as root, a
// 64 KiB tmpfs fills for real.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';

const disk = vi.hoisted(() => ({ full: false }));

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const writeSync = (fd: number, buffer: never, ...rest: never[]): number => {
    if (!disk.full) return (real.writeSync as (...a: unknown[]) => number)(fd, buffer, ...rest);
    // The first call writes half of what it was given and reports it; the next one finds no space.
    if (disk.full && !shortWritten.done) {
      shortWritten.done = true;
      const data = typeof buffer === 'string' ? Buffer.from(buffer) : (buffer as Buffer);
      const offset = typeof rest[0] === 'number' ? rest[0] : 0;
      const length = typeof rest[1] === 'number' ? rest[1] : data.length - offset;
      return real.writeSync(fd, data, offset, Math.max(1, Math.floor(length / 2)));
    }
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  };
  const shortWritten = { done: false };
  (disk as { reset?: () => void }).reset = () => {
    shortWritten.done = false;
  };
  return { ...real, default: { ...real, writeSync }, writeSync };
});

const { writeFileAtomic } = await import('../../src/report/write-file.js');

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'clustersim-full-'));
}

afterEach(() => {
  disk.full = false;
  (disk as { reset?: () => void }).reset?.();
});

describe('a short write (injected)', () => {
  it('keeps the old file, leaves no temp file and says so', () => {
    const dir = scratch();
    const path = join(dir, 'trace.json');
    writeFileSync(path, '{"old":true}\n');
    disk.full = true;
    expect(() => writeFileAtomic(path, JSON.stringify({ events: 'x'.repeat(10_000) }))).toThrow(
      /cannot write .*trace\.json: no space left on device; .*trace\.json is unchanged/,
    );
    expect(readFileSync(path, 'utf8')).toBe('{"old":true}\n');
    expect(readdirSync(dir)).toEqual(['trace.json']);
  });

  it('the CLI exits 2 with one line and no stack, the old report intact', async () => {
    const dir = scratch();
    const out = join(dir, 'merged.json');
    writeFileSync(out, 'previous');
    const report = join(dir, 'r.json');
    const { cli } = await import('../helpers/cli-capture.js');
    const { validReport } = await import('./reports.js');
    writeFileSync(report, JSON.stringify(validReport()));
    disk.full = true;
    const { code, stderr } = await cli('merge', report, '--out', out, '--json');
    disk.full = false;
    expect(stderr).toMatch(/^clustersim: cannot write .*merged\.json: no space left on device/);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(code).toBe(2);
    expect(readFileSync(out, 'utf8')).toBe('previous');
  });
});

// A real full file system: root only (mount), skipped elsewhere with the reason.
const tmpfs = mountTmpfs();
afterAll(() => {
  if (tmpfs.dir !== null) execFileSync('umount', [tmpfs.dir]);
});

function mountTmpfs(): { dir: string | null; why: string } {
  if (process.getuid?.() !== 0) return { dir: null, why: 'not root: cannot mount a small tmpfs' };
  const dir = mkdtempSync(join(tmpdir(), 'clustersim-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'pipe' });
    return { dir, why: '' };
  } catch (error) {
    return { dir: null, why: `mount failed: ${(error as Error).message.split('\n')[0] ?? ''}` };
  }
}

describe('a real full disk (64 KiB tmpfs)', () => {
  if (tmpfs.dir === null) it.skip(`skipped: ${tmpfs.why}`, () => undefined);
  else
    it('replacing a file with more than fits keeps the old one', () => {
      const dir = tmpfs.dir as string;
      const path = join(dir, 'report.json');
      fs.writeFileSync(path, 'old report');
      expect(() => writeFileAtomic(path, 'y'.repeat(200 * 1024))).toThrow(
        /no space left on device; .*report\.json is unchanged/,
      );
      expect(readFileSync(path, 'utf8')).toBe('old report');
      expect(readdirSync(dir)).toEqual(['report.json']);
    });
});
