import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkOutputDir,
  checkOutputFile,
  OutputError,
  writeFileAtomic,
} from '../../src/report/write-file.js';

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'clustersim-write-'));
}

describe('writeFileAtomic', () => {
  it('writes the whole file, making missing parent directories, and leaves no temp file', () => {
    const dir = scratch();
    const path = join(dir, 'a', 'b', 'report.json');
    writeFileAtomic(path, '{"ok":true}\n');
    expect(readFileSync(path, 'utf8')).toBe('{"ok":true}\n');
    expect(readdirSync(join(dir, 'a', 'b'))).toEqual(['report.json']);
  });

  it('fails with an OutputError in words when a parent is a file, keeping what was there', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'afile'), 'keep me');
    expect(() => writeFileAtomic(join(dir, 'afile', 'x.json'), '{}')).toThrow(OutputError);
    expect(() => writeFileAtomic(join(dir, 'afile', 'x.json'), '{}')).toThrow(
      /cannot write .*x\.json: a parent of x\.json is a file/,
    );
    expect(readFileSync(join(dir, 'afile'), 'utf8')).toBe('keep me');
  });

  it('fails with an OutputError when the target is a directory, and leaves no temp file beside it', () => {
    const dir = scratch();
    mkdirSync(join(dir, 'out'));
    expect(() => writeFileAtomic(join(dir, 'out'), '{}')).toThrow(/cannot write .*out: it is a directory/);
    expect(readdirSync(dir)).toEqual(['out']);
  });
});

describe('checkOutputFile / checkOutputDir', () => {
  it('accept a new path under directories still to be made, and make nothing', () => {
    const dir = scratch();
    checkOutputFile(join(dir, 'x', 'y', 'r.json'));
    checkOutputDir(join(dir, 'findings'));
    expect(readdirSync(dir)).toEqual([]);
  });

  it('reject a directory given as a file, a file given as a directory, and a file as a parent', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'afile'), '');
    expect(() => checkOutputFile(dir)).toThrow(/it is a directory/);
    expect(() => checkOutputDir(join(dir, 'afile'))).toThrow(/it exists and is not a directory/);
    expect(() => checkOutputFile(join(dir, 'afile', 'deeper', 'r.json'))).toThrow(/afile is not a directory/);
  });
});
