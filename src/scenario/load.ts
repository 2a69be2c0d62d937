// INTERFACE STUB: the loader (issue 3) replaces the bodies; keep the exported signatures.
import type { Scenario } from './types.js';

/** One problem in a scenario file, with its 1-based position. */
export interface ScenarioProblem {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly message: string;
}

/** Bad input: every problem of a file, each `file:line:col: message`. */
export class ScenarioError extends Error {
  override name = 'ScenarioError';
  readonly file: string;
  readonly line: number;
  readonly col: number;
  constructor(readonly problems: readonly ScenarioProblem[]) {
    super(problems.map((p) => `${p.file}:${p.line}:${p.col}: ${p.message}`).join('\n'));
    const first = problems[0];
    this.file = first?.file ?? '';
    this.line = first?.line ?? 0;
    this.col = first?.col ?? 0;
  }
}

/** Reads, parses and validates a scenario file; throws ScenarioError on bad input. */
export function loadScenario(path: string): Scenario {
  throw new ScenarioError([{ file: path, line: 1, col: 1, message: 'loader not implemented yet' }]);
}

/** Parses and validates scenario text; `file` is used in messages only. */
export function parseScenario(text: string, file: string): Scenario {
  void text;
  throw new ScenarioError([{ file, line: 1, col: 1, message: 'loader not implemented yet' }]);
}
