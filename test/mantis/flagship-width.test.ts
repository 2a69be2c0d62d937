import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderFlagship } from '../../src/demo/flagship.js';
import { cli } from '../helpers/cli-capture.js';

const longest = (text: string): number => Math.max(...text.split('\n').map((l) => [...l].length));

describe('flagship (npm start) in the terminal it is given', () => {
  it('should stack the two sides on 80 columns, every line fitting', () => {
    // Act
    const text = renderFlagship({ color: false, width: 80 });

    // Assert
    expect(longest(text)).toBeLessThanOrEqual(80);
    expect(text).not.toContain(' │ ');
    expect(text.indexOf('as-is  A reads B for')).toBeLessThan(text.indexOf('fix-1a-merged  A never reads B'));
    expect(text).toContain("▶ stage 2 of A starts reading B's data");
  });

  it('should stand the sides side by side on 100 columns, every line fitting', () => {
    // Act
    const text = renderFlagship({ color: false, width: 100 });

    // Assert
    expect(longest(text)).toBeLessThanOrEqual(100);
    expect(text.split('\n').filter((l) => l.includes(' │ ')).length).toBeGreaterThan(5);
  });

  it('should say in two sentences what the reader is looking at, naming the side of each variant', () => {
    for (const [width, first, second] of [
      [80, 'Above', 'below'],
      [127, 'Left', 'right'],
    ] as const) {
      // Act: the paragraph between the title and the first blank line.
      const lines = renderFlagship({ color: false, width }).split('\n');
      const intro = lines.slice(1, lines.indexOf('')).join(' ');

      // Assert
      expect(intro.split(/(?<=\.) (?=[A-Z])/)).toHaveLength(2);
      expect(intro).toContain(`${first} is the code as it was (as-is), ${second} the merged fix`);
    }
  });

  it('should print hints that run as shown', async () => {
    // Arrange: the indented command lines at the end (the CLI in-process names itself `clustersim`).
    const dir = mkdtempSync(join(tmpdir(), 'clustersim-demo-'));
    const hints = renderFlagship({ color: false, width: 80 })
      .split('\n')
      .filter((l) => l.startsWith('  clustersim '));
    expect(hints).toHaveLength(4);

    for (const hint of hints) {
      // Act
      const args = hint
        .trim()
        .split(/ +/)
        .slice(1)
        .map((a) => (a === 'report.html' ? join(dir, a) : a));
      const { code, stderr } = await cli(...args, '--quiet');

      // Assert: 1 is the as-is finding itself; never bad input (2) nor a bug (70).
      expect([0, 1], `${hint}\n${stderr}`).toContain(code);
    }
  });
});
