// Every shipped scenario runs once per variant here, and that one run answers both questions
// `npm test` asks of it: does it meet its `expect` (as `clustersim test scenarios/ --exact`),
// and does the findings table of docs/findings.md still say what it does.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findingsMarkdown } from '../src/report/findings-table.js';
import { expectationMet } from '../src/run/expectations.js';
import type { FindingsTable } from '../src/run/findings.js';
import { findingsTable } from '../src/run/findings.js';
import { runPlan } from '../src/run/run-plan.js';
import { compilePlan } from '../src/scenario/compile.js';
import { builtInSystemIds } from '../src/systems/registry.js';
import { loadScenario } from '../src/scenario/load.js';

/** Invariants a cell violated, sorted, or why it is no verdict. */
function violatedIn(table: FindingsTable, file: string, variant: string): string[] | string {
  const row = table.rows.find((r) => r.file === file);
  const column = table.variants.indexOf(variant);
  const cell = row?.cells[column];
  if (cell === undefined) {
    // A combined variant (fix-1a-merged+fix-3) has no column: run it on its own.
    const result = runPlan(compilePlan(loadScenario(file), { variant }));
    return result.stoppedEarly ?? [...new Set(result.violations.map((v) => v.invariant))].sort();
  }
  return cell.stoppedEarly ?? [...new Set(cell.violated.map((v) => v.invariant))].sort();
}

for (const system of builtInSystemIds()) {
  describe(`shipped ${system} scenarios`, () => {
    const table = findingsTable(system, `scenarios/${system}`);

    it('should each violate exactly the invariants their expect lists, under each variant named', () => {
      const mismatches: string[] = [];
      let checked = 0;
      for (const row of table.rows) {
        for (const [variant, listed] of Object.entries(loadScenario(row.file).expect ?? {})) {
          const violated = violatedIn(table, row.file, variant);
          const expected = [...new Set(listed)].sort();
          checked++;
          if (typeof violated === 'string' || !expectationMet(expected, violated, true))
            mismatches.push(`${row.file} [${variant}]: expected [${expected}], got ${String(violated)}`);
        }
      }
      expect(checked).toBeGreaterThan(10);
      expect(mismatches).toEqual([]);
    });

    it(`should match the findings table of docs/findings.md (run \`npm run findings\` after a model change)`, () => {
      const page = readFileSync('docs/findings.md', 'utf8');
      const start = `<!-- findings:${system}:start -->\n`;
      const from = page.indexOf(start) + start.length;
      const to = page.indexOf(`\n<!-- findings:${system}:end -->`);
      expect(from).toBeGreaterThanOrEqual(start.length);
      expect(page.slice(from, to)).toBe(findingsMarkdown(table, '../'));
    });
  });
}
