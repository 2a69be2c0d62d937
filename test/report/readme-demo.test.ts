import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderFlagship } from '../../src/demo/flagship.js';

describe('README npm start sample', () => {
  it('should show the side-by-side table the demo prints now', () => {
    // Arrange: the block under `$ npm start` in the README.
    const readme = readFileSync('README.md', 'utf8');
    const from = readme.indexOf('$ npm start\n') + '$ npm start\n'.length;
    const sample = readme.slice(from, readme.indexOf('```', from)).trimEnd();
    // Act: the demo's table (from its header row to the blank line after it), trailing blanks cut.
    const lines = renderFlagship({ color: false })
      .split('\n')
      .map((line) => line.trimEnd());
    const start = lines.findIndex((line) => line.startsWith('as-is '));
    const table = lines.slice(start, lines.indexOf('', start)).join('\n');
    // Assert
    expect(start).toBeGreaterThanOrEqual(0);
    expect(sample).toBe(table);
  });
});
