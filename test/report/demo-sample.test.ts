import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderFlagship } from '../../src/demo/flagship.js';

/** The demo's side-by-side table: from its header row to the blank line after it, trailing blanks cut. */
function sideBySide(text: string): string {
  const lines = text.split('\n').map((line) => line.trimEnd());
  const start = lines.findIndex((line) => line.startsWith('as-is '));
  expect(start).toBeGreaterThanOrEqual(0);
  return lines.slice(start, lines.indexOf('', start)).join('\n');
}

describe('docs/mantis.md npm start sample', () => {
  it('should show the side-by-side table the demo prints now', () => {
    // Arrange: the ```text block after "`npm start` (= `clustersim demo`) prints:" in docs/mantis.md.
    const page = readFileSync('docs/mantis.md', 'utf8');
    const from = page.indexOf('```text\n', page.indexOf('`npm start`')) + '```text\n'.length;
    const sample = page.slice(from, page.indexOf('```', from));
    // Act
    const table = sideBySide(renderFlagship({ color: false }));
    // Assert
    expect(sideBySide(sample)).toBe(table);
  });
});
