import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from '../built.js';

const SCRIPT = join(ROOT, 'dist/bench/trace-hash.js');

interface HashRun {
  readonly traceHash: string;
  readonly events: number;
  readonly beats: number;
}

/** One heartbeat-storm run in a fresh `node` process. */
function runInChild(seed: number): HashRun {
  const out = execFileSync(
    process.execPath,
    [SCRIPT, '--seed', String(seed), '--executors', '300', '--seconds', '30'],
    { encoding: 'utf8' },
  );
  return JSON.parse(out) as HashRun;
}

describe('determinism across processes', () => {
  beforeAll(() => {
    expect(ensureBuilt('dist/.tsbuildinfo', ['src', 'bench'])).toBe(true);
  }, 120_000);

  it('gives the same trace hash for the same seed in two separate processes', () => {
    // Act
    const first = runInChild(11);
    const second = runInChild(11);
    // Assert
    expect(first.traceHash).toMatch(/^[0-9a-f]{16}$/);
    expect(second.traceHash).toBe(first.traceHash);
    expect(second.events).toBe(first.events);
    expect(first.beats).toBeGreaterThan(8_000);
  });

  it('gives a different trace hash for a different seed', () => {
    // Act
    const first = runInChild(11);
    const other = runInChild(12);
    // Assert
    expect(other.traceHash).not.toBe(first.traceHash);
  });
});
