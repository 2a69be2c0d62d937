import type { FindingsTable } from '../run/findings.js';

/**
 * Markdown: one row per scenario, one column per variant; a cell lists broken invariants, with
 * violation-seconds where the break lasted (an instant break, e.g. a duplicate send, has none).
 * `linkBase` is the way from the page to the repository root (`../` for a page in docs/).
 */
export function findingsMarkdown(table: FindingsTable, linkBase = ''): string {
  const header = `| scenario | ${table.variants.map((v) => `\`${v}\``).join(' | ')} |`;
  const rule = `|---|${table.variants.map(() => '---').join('|')}|`;
  const lines = table.rows.map((row) => {
    const cells = row.cells.map((cell) =>
      cell.violated.length === 0
        ? '✓'
        : cell.violated
            .map((v) =>
              v.violationSeconds >= 0.05
                ? `${v.invariant} (${formatSeconds(v.violationSeconds)})`
                : v.invariant,
            )
            .join('<br>'),
    );
    return `| [${row.scenario}](${linkBase}${row.file}) | ${cells.join(' | ')} |`;
  });
  return [header, rule, ...lines].join('\n');
}

function formatSeconds(seconds: number): string {
  return seconds >= 10 ? `${Math.round(seconds)} s` : `${seconds.toFixed(1)} s`;
}
