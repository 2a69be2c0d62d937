// Issue 19 §9: a stdout that cannot be written (a full disk) is one line and exit 2 — not a
// stack trace and exit 1, which means a finding. Through the built CLI, as users run it.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from '../built.js';

describe('stdout on a full disk', () => {
  it.runIf(existsSync('/dev/full'))('list > /dev/full exits 2 with one line on stderr', () => {
    expect(ensureBuilt('dist/.tsbuildinfo', ['src', 'bench'])).toBe(true);
    const full = openSync('/dev/full', 'w');
    try {
      const child = spawnSync(process.execPath, [join(ROOT, 'bin/clustersim.js'), 'list'], {
        stdio: ['ignore', full, 'pipe'],
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(child.stderr).toBe('clustersim: cannot write to stdout: no space left on device\n');
      expect(child.status).toBe(2);
    } finally {
      closeSync(full);
    }
  });
});
