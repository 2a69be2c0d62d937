import type { Stats } from 'node:fs';
import {
  accessSync,
  closeSync,
  constants,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * An output file or directory that cannot be written (a parent that is a file, a target that is
 * a directory, no permission, a full disk). Bad input, not a bug: the CLI prints it and exits 2.
 */
export class OutputError extends Error {
  override name = 'OutputError';

  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`cannot write ${path}: ${reason}`);
  }
}

let counter = 0;

/**
 * Writes a file so that readers see the old content or the new, never a torn one: a temporary
 * file beside the target, fsync, then rename (atomic on one file system). Missing parent
 * directories are made. A failure or Ctrl-C leaves the previous file untouched; a failure is an
 * OutputError.
 */
export function writeFileAtomic(path: string, content: string): void {
  counter++;
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${counter}.tmp`);
  try {
    mkdirSync(dirname(path), { recursive: true });
    const fd = openSync(temp, 'w');
    try {
      writeSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    removeQuietly(temp);
    throw new OutputError(path, reasonOf(error, path));
  }
}

/**
 * Checks, before any work, that `path` can be written as a file: it is not a directory, and its
 * nearest existing ancestor is a writable directory. Makes nothing.
 */
export function checkOutputFile(path: string): void {
  if (statOrNull(path)?.isDirectory() === true) throw new OutputError(path, 'it is a directory');
  checkAncestor(path, dirname(resolve(path)));
}

/** `checkOutputFile` for a directory that files will be written into. */
export function checkOutputDir(path: string): void {
  const stats = statOrNull(path);
  if (stats !== null && !stats.isDirectory()) throw new OutputError(path, 'it exists and is not a directory');
  checkAncestor(path, resolve(path));
}

/** The nearest existing directory at or above `from` must be a writable directory. */
function checkAncestor(path: string, from: string): void {
  let dir = from;
  let stats = statOrNull(dir);
  while (stats === null && dirname(dir) !== dir) {
    dir = dirname(dir);
    stats = statOrNull(dir);
  }
  if (stats === null) return;
  if (!stats.isDirectory()) throw new OutputError(path, `${dir} is not a directory`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new OutputError(path, `${dir} is not writable`);
  }
}

/** Cleanup after a failed write: the temp file may not exist, or its directory may be a file. */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // nothing was written there
  }
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/** A short reason for a failed write, in words rather than an errno. */
function reasonOf(error: unknown, path: string): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOTDIR':
    case 'EEXIST':
      return `a parent of ${basename(path)} is a file, not a directory`;
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on device';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
