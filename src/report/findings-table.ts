import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runPlan } from '../run/run-plan.js';
import { compilePlan } from '../scenario/compile.js';
import { loadScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/types.js';
import { systemById } from '../systems/registry.js';

/** One cell: which invariants a variant violated on a scenario (seed from the file). */
export interface FindingsCell {
  readonly violated: readonly {
    readonly invariant: string;
    readonly atMs: number;
    readonly violationSeconds: number;
  }[];
}

export interface FindingsTable {
  readonly system: string;
  readonly variants: readonly string[];
  readonly rows: readonly {
    readonly scenario: string;
    readonly file: string;
    readonly cells: readonly FindingsCell[];
  }[];
}

/**
 * Runs every scenario of a folder (faults drawn from each file's seed) under every variant given,
 * and records what broke. This is measured, never typed by hand: the README tables come from it.
 */
export function findingsTable(system: string, dir: string, variants?: readonly string[]): FindingsTable {
  const model = systemById(system);
  const columns = variants ?? model.variants.map((v) => v.id);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort();
  const rows = files.map((file) => {
    const scenario: Scenario = loadScenario(join(dir, file));
    const cells = columns.map((variant): FindingsCell => {
      const result = runPlan(compilePlan(scenario, { variant }));
      return {
        violated: result.violations.map((v) => ({
          invariant: v.invariant,
          atMs: v.atMs,
          violationSeconds: v.violationSeconds,
        })),
      };
    });
    return { scenario: scenario.name, file: join(dir, file), cells };
  });
  return { system, variants: columns, rows };
}

/**
 * Markdown: one row per scenario, one column per variant; a cell lists broken invariants, with
 * violation-seconds where the break lasted (an instant break, e.g. a duplicate send, has none).
 */
export function findingsMarkdown(table: FindingsTable): string {
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
    return `| [${row.scenario}](${row.file}) | ${cells.join(' | ')} |`;
  });
  return [header, rule, ...lines].join('\n');
}

function formatSeconds(seconds: number): string {
  return seconds >= 10 ? `${Math.round(seconds)} s` : `${seconds.toFixed(1)} s`;
}
