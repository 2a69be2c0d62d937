import type { Stats } from 'node:fs';
import {
  accessSync,
  closeSync,
  constants,
  fchmodSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readlinkSync,
  realpathSync,
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

/** Symbolic links followed before giving up, as the kernel's own limit (ELOOP). */
const SYMLINK_HOPS_MAX = 40;

/**
 * Writes a file so that readers see the old content or the new, never a torn one: a temporary
 * file beside the target, every byte written and checked, fsync, then rename (atomic on one file
 * system). A symbolic link is followed: the file it points at is replaced, the link stays.
 * A character device (`/dev/null`) or a FIFO with a reader is written through, never replaced;
 * any other kind of file is refused. Missing parent directories are made. A failure or Ctrl-C
 * leaves the previous file untouched; a failure is an OutputError that says so.
 */
export function writeFileAtomic(path: string, content: string): void {
  const followed = statOrNull(path);
  if (followed !== null && !followed.isFile()) {
    writeThrough(path, followed, content);
    return;
  }
  const target = followed !== null ? realpathSync(path) : danglingTarget(path);
  replaceFile(path, target, followed, content);
}

/** The temp-file-and-rename path for a regular file (or none yet) at `target`. */
function replaceFile(path: string, target: string, old: Stats | null, content: string): void {
  counter++;
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${counter}.tmp`);
  try {
    makeParents(path, dirname(target));
    const fd = openSync(temp, 'wx', 0o666);
    try {
      // Keep the permissions of the file being replaced (umask applies to a new one).
      if (old !== null) fchmodSync(fd, old.mode & 0o7777);
      writeAll(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
  } catch (error) {
    removeQuietly(temp);
    if (error instanceof OutputError) throw error;
    const kept = old !== null ? `; ${path} is unchanged` : '';
    throw new OutputError(path, reasonOf(error, path, temp) + kept);
  }
}

/** Devices and FIFOs: opened and written in place (a rename would replace the node itself). */
function writeThrough(path: string, stats: Stats, content: string): void {
  if (stats.isDirectory()) throw new OutputError(path, 'it is a directory');
  if (!stats.isCharacterDevice() && !stats.isFIFO())
    throw new OutputError(path, `it is a ${kindOf(stats)}, not a regular file`);
  if (stats.isFIFO()) {
    // A blocking open would wait for ever for a reader that may never come.
    try {
      closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENXIO') throw new OutputError(path, 'it is a FIFO and nothing is reading it');
      throw new OutputError(path, reasonOf(error, path, null));
    }
  }
  try {
    const fd = openSync(path, constants.O_WRONLY);
    try {
      writeAll(fd, content);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw new OutputError(path, reasonOf(error, path, null));
  }
}

/** writeSync may write fewer bytes than asked (a full disk): loop, and fail on no progress. */
function writeAll(fd: number, content: string): void {
  const bytes = Buffer.from(content, 'utf8');
  let offset = 0;
  while (offset < bytes.length) {
    const written = writeSync(fd, bytes, offset, bytes.length - offset);
    if (written <= 0)
      throw Object.assign(new Error('short write'), {
        code: 'ENOSPC',
      } satisfies Partial<NodeJS.ErrnoException>);
    offset += written;
  }
}

/** A path that does not resolve: a plain new file, or the end of a chain of dangling links. */
function danglingTarget(path: string): string {
  let current = resolve(path);
  for (let hop = 0; hop < SYMLINK_HOPS_MAX; hop++) {
    const stats = lstatOrNull(current);
    if (stats === null || !stats.isSymbolicLink()) return current;
    current = resolve(dirname(current), readlinkSync(current));
  }
  throw new OutputError(path, 'too many levels of symbolic links');
}

/**
 * mkdir -p, one level at a time: Node's recursive mkdir loops for ever under `/proc` and other
 * file systems that answer ENOENT for a directory they will never create.
 */
function makeParents(path: string, dir: string): void {
  const missing: string[] = [];
  let current = resolve(dir);
  let stats = statOrNull(current);
  while (stats === null && dirname(current) !== current) {
    missing.push(current);
    current = dirname(current);
    stats = statOrNull(current);
  }
  if (stats !== null && !stats.isDirectory())
    throw new OutputError(path, `a parent of ${basename(path)} is a file, not a directory`);
  for (const next of missing.reverse()) {
    try {
      mkdirSync(next);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && statOrNull(next)?.isDirectory() === true)
        continue;
      throw new OutputError(path, `cannot make the directory ${next} (${reasonOf(error, next, null)})`);
    }
  }
}

/**
 * Checks, before any work, that `path` can be written as a file: it is not a directory nor a
 * socket or block device, and its nearest existing ancestor is a writable directory. Makes nothing.
 */
export function checkOutputFile(path: string): void {
  const stats = statOrNull(path);
  if (stats?.isDirectory() === true) throw new OutputError(path, 'it is a directory');
  if (stats !== null && !stats.isFile() && !stats.isCharacterDevice() && !stats.isFIFO())
    throw new OutputError(path, `it is a ${kindOf(stats)}, not a regular file`);
  if (stats !== null) return;
  checkAncestor(path, dirname(danglingTarget(path)));
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

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

function kindOf(stats: Stats): string {
  if (stats.isSocket()) return 'socket';
  if (stats.isBlockDevice()) return 'block device';
  if (stats.isCharacterDevice()) return 'character device';
  if (stats.isFIFO()) return 'FIFO';
  return 'special file';
}

/** A short reason for a failed write, in words rather than an errno; never the temp file's name. */
function reasonOf(error: unknown, path: string, temp: string | null): string {
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
    case 'EDQUOT':
      return 'no space left on device';
    case 'EIO':
      return 'input/output error';
    case 'ENOENT':
      return 'no such file or directory';
    default: {
      const message = error instanceof Error ? error.message : String(error);
      return temp === null ? message : message.split(temp).join(path);
    }
  }
}
