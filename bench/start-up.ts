import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { BenchOptions, BenchOutcome, BenchRow } from './bench-result.js';
import { repoRoot } from './fuzz.js';
import { startUpTargets } from './targets.js';

/** Rounds of the side-by-side measurement; each round starts both commands once. */
const ROUNDS = 15;

/**
 * `start-up`: time to first verdict. `clustersim run scenarios/mantis/report.yaml` as a whole
 * process (node start, the CLI's imports, loading, the run, the printed timeline) against a bare
 * `node -e ''` on the same machine. The two alternate, round by round, so that a machine whose
 * speed drifts (a shared VM) slows both alike; the medians are compared. Rows:
 * `{ "bench": "start-up", "command", "runs", "medianMs", "minMs" }`.
 */
export function startUpBench(options: BenchOptions): BenchOutcome {
  const root = repoRoot();
  const commands: readonly { name: string; args: readonly string[]; exit: number }[] = [
    { name: "node -e ''", args: ['-e', ''], exit: 0 },
    {
      name: 'clustersim run scenarios/mantis/report.yaml',
      args: [join(root, 'bin/clustersim.js'), 'run', 'scenarios/mantis/report.yaml'],
      exit: 1, // the as-is code violates its invariants: a finding
    },
  ];
  const times: number[][] = commands.map(() => []);
  for (let round = 0; round < ROUNDS + 1; round++) {
    commands.forEach((command, i) => {
      const started = process.hrtime.bigint();
      const child = spawnSync(process.execPath, command.args, { cwd: root, stdio: 'ignore' });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (child.status !== command.exit)
        throw new Error(`${command.name} exited ${String(child.status)}, expected ${command.exit}`);
      if (round > 0) times[i]!.push(ms); // round 0 warms the file cache
    });
  }
  const rows: BenchRow[] = commands.map((command, i) => {
    const sorted = [...times[i]!].sort((a, b) => a - b);
    const row: BenchRow = {
      bench: 'start-up',
      command: command.name,
      runs: sorted.length,
      medianMs: Math.round(sorted[Math.floor(sorted.length / 2)]!),
      minMs: Math.round(sorted[0]!),
    };
    options.onRow(row);
    return row;
  });
  return { status: 'done', rows, targets: startUpTargets(rows) };
}
