// Issue 19 §1 and §9: an output path is written, never replaced by whatever it was — a symlink
// stays a link, a FIFO or a device stays one — and a path under /proc does not hang.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  closeSync,
  constants,
  lstatSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkOutputFile, OutputError, writeFileAtomic } from '../../src/report/write-file.js';
import { ensureBuilt, ROOT } from '../built.js';

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'clustersim-out-'));
}

function mkfifo(path: string): void {
  execFileSync('mkfifo', [path]);
}

describe('output to a symlink', () => {
  it('writes the file the link points at and keeps the link', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'real.json'), 'old');
    symlinkSync('real.json', join(dir, 'link.json'));
    writeFileAtomic(join(dir, 'link.json'), 'new');
    expect(lstatSync(join(dir, 'link.json')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'link.json'))).toBe('real.json');
    expect(readFileSync(join(dir, 'real.json'), 'utf8')).toBe('new');
  });

  it('creates the missing target of a dangling link, in the link target’s directory', () => {
    const dir = scratch();
    const other = scratch();
    symlinkSync(join(other, 'sub', 'trace.json'), join(dir, 'trace.json'));
    writeFileAtomic(join(dir, 'trace.json'), '{}');
    expect(lstatSync(join(dir, 'trace.json')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(other, 'sub', 'trace.json'), 'utf8')).toBe('{}');
  });

  it('keeps the mode of the file it replaces', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'r.json'), 'old', { mode: 0o600 });
    writeFileAtomic(join(dir, 'r.json'), 'new');
    expect(statSync(join(dir, 'r.json')).mode & 0o777).toBe(0o600);
  });
});

describe('output to a FIFO', () => {
  it('refuses a FIFO nobody reads, with a reason, and leaves the FIFO in place', () => {
    const dir = scratch();
    const fifo = join(dir, 'pipe');
    mkfifo(fifo);
    expect(() => writeFileAtomic(fifo, 'data')).toThrow(OutputError);
    expect(() => writeFileAtomic(fifo, 'data')).toThrow(/it is a FIFO and nothing is reading it/);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('writes through a FIFO that has a reader', () => {
    const dir = scratch();
    const fifo = join(dir, 'pipe');
    mkfifo(fifo);
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      writeFileAtomic(fifo, 'through the pipe');
      const buffer = Buffer.alloc(100);
      const n = readSync(reader, buffer);
      expect(buffer.subarray(0, n).toString()).toBe('through the pipe');
    } finally {
      closeSync(reader);
    }
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('the CLI: run --trace to a FIFO without a reader exits 2 and keeps the FIFO', async () => {
    const dir = scratch();
    const fifo = join(dir, 'trace.fifo');
    mkfifo(fifo);
    const { main } = await import('../../src/cli/main.js');
    const { captured } = await import('../helpers/cli-capture.js');
    const { code, stderr } = await captured(() =>
      main([
        'node',
        'clustersim',
        'run',
        join(ROOT, 'scenarios/ava/bug1-ticker-ctx.yaml'),
        '--trace',
        fifo,
        '--quiet',
      ]),
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(/cannot write .*trace\.fifo: it is a FIFO and nothing is reading it/);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });
});

describe('output to a device', () => {
  it.runIf(process.getuid?.() === 0)('writes through a character device (root: mknod)', () => {
    const dir = scratch();
    const node = join(dir, 'null');
    execFileSync('mknod', [node, 'c', '1', '3']);
    writeFileAtomic(node, 'discarded');
    expect(lstatSync(node).isCharacterDevice()).toBe(true);
  });

  // A private copy of /dev/full (never the system's: code that renames over its target would
  // replace it).
  it.runIf(process.getuid?.() === 0)('a full device is an OutputError that names the reason', () => {
    const dir = scratch();
    const full = join(dir, 'full');
    execFileSync('mknod', [full, 'c', '1', '7']);
    expect(() => writeFileAtomic(full, 'x')).toThrow(/cannot write .*full: no space left on device/);
    expect(lstatSync(full).isCharacterDevice()).toBe(true);
  });

  it('checkOutputFile refuses a socket before any work', () => {
    const dir = scratch();
    const socket = join(dir, 's.sock');
    // A socket file from a short-lived listener (python is not assumed; node makes one).
    execFileSync(process.execPath, [
      '-e',
      `const s=require('net').createServer().listen(${JSON.stringify(socket)},()=>process.exit(0))`,
    ]);
    expect(lstatSync(socket).isSocket()).toBe(true);
    expect(() => checkOutputFile(socket)).toThrow(/it is a socket, not a regular file/);
  });
});

describe('a missing directory under /proc', () => {
  it('fails at once with a reason instead of looping in mkdir', () => {
    expect(ensureBuilt('dist/.tsbuildinfo', ['src', 'bench'])).toBe(true);
    const script = `import(${JSON.stringify(join(ROOT, 'dist/src/report/write-file.js'))}).then((m) => {
      try { m.writeFileAtomic('/proc/clustersim-missing/a/b.json', '{}'); console.log('written'); }
      catch (e) { console.log(e.name + ': ' + e.message); }
    })`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(child.signal).toBeNull();
    expect(child.stdout).toMatch(/^OutputError: cannot write \/proc\/clustersim-missing\/a\/b\.json: /);
    expect(child.stdout).not.toMatch(/\.tmp/);
  });
});
