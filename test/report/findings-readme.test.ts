import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findingsMarkdown, findingsTable } from '../../src/report/findings-table.js';

/** The README's findings tables are generated (`npm run findings`); this keeps them honest. */
describe('README findings tables', () => {
  for (const system of ['mantis', 'ava']) {
    it(`should match what the ${system} scenarios produce now (run \`npm run findings\` after a model change)`, () => {
      // Arrange
      const readme = readFileSync('README.md', 'utf8');
      const start = `<!-- findings:${system}:start -->\n`;
      const from = readme.indexOf(start) + start.length;
      const to = readme.indexOf(`\n<!-- findings:${system}:end -->`);
      // Act
      const generated = findingsMarkdown(findingsTable(system, `scenarios/${system}`));
      // Assert
      expect(readme.slice(from, to)).toBe(generated);
    });
  }
});
