// docs/writing-a-system.md works as written: its TypeScript and YAML blocks are the files of
// examples/lease (the blocks of a file, in order, joined by a blank line), which the lease tests
// type-check and run; its `npx clustersim` lines run in a copy of that folder with the exit code
// their comment states.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from '../built.js';

const GUIDE = readFileSync(join(ROOT, 'docs', 'writing-a-system.md'), 'utf8');

interface Block {
  readonly lang: string;
  readonly text: string;
  /** The file a `<!-- file: path -->` line just above the block names. */
  readonly file?: string;
}

function blocks(markdown: string): Block[] {
  const found: Block[] = [];
  for (const match of markdown.matchAll(/(?:<!-- file: (\S+) -->\n)?```(\w*)\n([\s\S]*?)\n```/g))
    found.push({
      lang: match[2] ?? '',
      text: match[3] ?? '',
      ...(match[1] !== undefined ? { file: match[1] } : {}),
    });
  return found;
}

describe('docs/writing-a-system.md', () => {
  beforeAll(() => {
    expect(ensureBuilt('dist/.tsbuildinfo', ['src', 'bench'])).toBe(true);
  }, 120_000);

  it('shows every file of examples/lease it names, whole, and no code that is not in one', () => {
    const all = blocks(GUIDE);
    const unchecked = all.filter((b) => b.lang !== 'sh' && b.file === undefined);
    expect(unchecked.map((b) => b.text.split('\n')[0])).toEqual([]);
    const files = [...new Set(all.flatMap((b) => (b.file !== undefined ? [b.file] : [])))];
    expect(files.sort()).toEqual([
      'examples/lease/clustersim.config.ts',
      'examples/lease/lease.ts',
      'examples/lease/scenarios/crashes.yaml',
      'examples/lease/scenarios/restart.yaml',
    ]);
    for (const file of files) {
      const shown = all
        .filter((b) => b.file === file)
        .map((b) => b.text)
        .join('\n\n');
      expect(shown, file).toBe(readFileSync(join(ROOT, file), 'utf8').trimEnd());
    }
  });

  it('runs each `npx clustersim` step in a copy of the example with the exit code it states', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clustersim-guide-'));
    cpSync(join(ROOT, 'examples', 'lease'), dir, { recursive: true });
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env.FORCE_COLOR;
    const steps = blocks(GUIDE)
      .filter((b) => b.lang === 'sh')
      .flatMap((b) => b.text.split('\n'))
      .filter((line) => line.startsWith('npx clustersim '));
    expect(steps.length).toBeGreaterThanOrEqual(6);
    for (const step of steps) {
      const match = /^npx clustersim (.*?)\s+# exit (\d+)/.exec(step);
      expect(match, `${step}: states its exit code`).not.toBeNull();
      const args = (match?.[1] ?? '').split(/\s+/);
      const run = spawnSync(process.execPath, [join(ROOT, 'bin', 'clustersim.js'), ...args], {
        cwd: dir,
        encoding: 'utf8',
        env,
      });
      expect({ step, code: run.status }).toEqual({ step, code: Number(match?.[2]) });
      expect(run.stderr).not.toMatch(/internal error|^clustersim: /m);
      if (args[0] === 'list') expect(run.stdout).toMatch(/lease/);
    }
  }, 120_000);
});
