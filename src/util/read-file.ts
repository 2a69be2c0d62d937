import type { Stats } from 'node:fs';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

export type ReadResult =
  { readonly ok: true; readonly bytes: Buffer } | { readonly ok: false; readonly reason: string };

/**
 * Reads a regular file of at most `maxBytes`, checking the size before reading and while
 * reading (a file that grows, or a `/proc` file that reports size 0). Devices, FIFOs and
 * directories are refused: `/dev/zero` would otherwise be read until memory runs out.
 */
export function readInputFile(path: string, maxBytes: number): ReadResult {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading must not wait for a writer.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return { ok: false, reason: openReason(error) };
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return { ok: false, reason: `is ${kindOf(stats)}, not a regular file` };
    if (stats.size > maxBytes) return { ok: false, reason: tooLarge(stats.size, maxBytes) };
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1 << 20, maxBytes + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) return { ok: false, reason: tooLarge(total, maxBytes, 'more than ') };
      chunks.push(chunk.subarray(0, n));
    }
    return { ok: true, bytes: Buffer.concat(chunks, total) };
  } catch (error) {
    return { ok: false, reason: openReason(error) };
  } finally {
    closeSync(fd);
  }
}

function tooLarge(size: number, max: number, prefix = ''): string {
  return `file too large (${prefix}${size} bytes; allowed: up to ${max})`;
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isFIFO()) return 'a FIFO (pipe)';
  if (stats.isSocket()) return 'a socket';
  return 'a special file';
}

function openReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'is a directory, not a file';
    case 'EACCES':
    case 'EPERM':
      return 'cannot read (permission denied)';
    case 'ENXIO':
      return 'is not a regular file';
    default:
      return `cannot read (${code ?? (error instanceof Error ? error.message : String(error))})`;
  }
}
