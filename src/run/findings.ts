import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { compilePlan } from '../scenario/compile.js';
import { loadScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/types.js';
import { systemById } from '../systems/registry.js';
import { runPlan } from './run-plan.js';

/** One cell: which invariants a variant violated on a scenario (seed from the file). */
export interface FindingsCell {
  readonly violated: readonly {
    readonly invariant: string;
    readonly atMs: number;
    readonly violationSeconds: number;
  }[];
  /** The run stopped before its end (an event or time limit): not a verdict. */
  readonly stoppedEarly?: string;
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
 * and records what broke. This is measured, never typed by hand: the tables of docs/findings.md come from it.
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
        ...(result.stoppedEarly !== undefined ? { stoppedEarly: result.stoppedEarly } : {}),
      };
    });
    return { scenario: scenario.name, file: join(dir, file), cells };
  });
  return { system, variants: columns, rows };
}
