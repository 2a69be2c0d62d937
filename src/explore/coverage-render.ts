import type { CoverageSummary } from './coverage.js';

/** Lines of a campaign's coverage: totals, the plateau curve, the states never reached. */
export function renderCoverage(summary: CoverageSummary): string[] {
  const never = Object.entries(summary.neverReached);
  const missing = never.reduce((n, [, states]) => n + states.length, 0);
  return [
    `coverage: ${summary.states.covered} of ${summary.states.declared} abstract states, ${summary.transitions} state transitions (${summary.points} points); new points per ${summary.plateauBlock} seeds: ${summary.plateau.join(' ')}`,
    ...(missing === 0
      ? []
      : [
          `  never reached (${missing}): ${never
            .map(
              ([kind, states]) =>
                `${kind} ${states.slice(0, 6).join(', ')}${states.length > 6 ? `, … ${states.length - 6} more` : ''}`,
            )
            .join('; ')}`,
        ]),
  ];
}
