/**
 * The layers of docs/architecture.md, enforced (`npm run lint`). Lower layers never import
 * higher ones; data flows scenario → run plan → engine + system → result → report.
 *
 *   util, engine  →  systems  →  scenario  →  run  →  report  →  explore  →  demo, tools  →  cli
 */
const layer = (name) => `^src/${name}/`;
const above = {
  engine: ['util', 'systems', 'scenario', 'run', 'report', 'explore', 'demo', 'tools', 'cli'],
  util: ['engine', 'systems', 'scenario', 'run', 'report', 'explore', 'demo', 'tools', 'cli'],
  systems: ['scenario', 'run', 'report', 'explore', 'demo', 'tools', 'cli'],
  scenario: ['run', 'report', 'explore', 'demo', 'tools', 'cli'],
  run: ['report', 'explore', 'demo', 'tools', 'cli'],
  report: ['explore', 'demo', 'tools', 'cli'],
  explore: ['demo', 'tools', 'cli'],
  demo: ['explore', 'tools', 'cli'],
  tools: ['explore', 'demo', 'cli'],
};

const why = {
  engine: 'the engine knows nothing of any system, scenario file, runner or output',
  util: 'shared errors and value helpers sit below every user',
  systems: 'a system imports the engine and shared helpers only',
  scenario: 'the loader and compiler know systems, not how plans run or are shown',
  run: 'the runner produces results; reports and campaigns use them, not the reverse',
  report: 'reports format results; they do not run simulations or campaigns',
  explore: 'campaigns are driven by the CLI, never the reverse',
  demo: 'the demo runs and renders one scenario, without campaigns or the CLI',
  tools: 'maintenance scripts use the library, not the CLI',
};

module.exports = {
  forbidden: [
    ...Object.entries(above).map(([from, targets]) => ({
      name: `${from}-one-way`,
      comment: why[from],
      severity: 'error',
      from: { path: layer(from) },
      to: {
        path: `^src/(${targets.join('|')})/`,
        // Atomic writes are a shared helper living in report/ until it moves below (util/).
        pathNot: from === 'scenario' || from === 'util' ? '^src/report/write-file\\.ts$' : undefined,
      },
    })),
    {
      name: 'report-does-not-run',
      comment: 'reports read results (types, and the pure outcome rule of result.ts), they never run plans',
      severity: 'error',
      from: { path: layer('report') },
      to: { path: '^src/run/', pathNot: '^src/run/result[.]ts$', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: '^(dist|node_modules)/' },
  },
};
