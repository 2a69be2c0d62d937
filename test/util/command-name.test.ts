import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectCommandName } from '../../src/util/command-name.js';

// A package laid out as installed: <root>/bin/clustersim.js, and a directory for PATH.
const root = mkdtempSync(join(tmpdir(), 'clustersim-name-'));
const entry = join(root, 'pkg', 'bin', 'clustersim.js');
mkdirSync(join(root, 'pkg', 'bin'), { recursive: true });
writeFileSync(entry, '');
const globalBin = join(root, 'global-bin');
mkdirSync(globalBin);
symlinkSync(entry, join(globalBin, 'clustersim'));
const elsewhere = join(root, 'elsewhere');
mkdirSync(elsewhere);

describe('how the hints name clustersim', () => {
  it('should say `npx clustersim` under `npm start` and `npx`', () => {
    expect(detectCommandName({ env: { npm_lifecycle_event: 'start' }, entry, cwd: elsewhere })).toBe(
      'npx clustersim',
    );
    expect(detectCommandName({ env: { npm_command: 'exec', PATH: globalBin }, entry, cwd: elsewhere })).toBe(
      'npx clustersim',
    );
  });

  it('should say `clustersim` when that name on PATH is this very program (a global install)', () => {
    expect(detectCommandName({ env: { PATH: globalBin }, entry, cwd: elsewhere })).toBe('clustersim');
  });

  it('should not take another clustersim on PATH, nor one in node_modules/.bin, for this one', () => {
    const other = join(root, 'other-bin');
    mkdirSync(other, { recursive: true });
    writeFileSync(join(other, 'clustersim'), '');
    expect(detectCommandName({ env: { PATH: other }, entry, cwd: join(root, 'pkg') })).toBe('npx clustersim');
    expect(detectCommandName({ env: { PATH: other }, entry, cwd: elsewhere })).toBe(
      `node ../pkg/bin/clustersim.js`,
    );
  });
});
