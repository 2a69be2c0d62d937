import type { BenchOptions, BenchOutcome, BenchRow } from './bench-result.js';
import { exploreBench } from './explore.js';
import { fuzzBench } from './fuzz.js';
import { heartbeatStormBench } from './heartbeat-storm.js';
import { modelSpeedBench } from './model-speed.js';
import { startUpBench } from './start-up.js';
import { formatTargets } from './targets.js';
import { timeToFindBench } from './time-to-find.js';

/**
 * `npm run bench [-- --json] [-- --only NAME]`: the benchmarks of CONTRACT §8.
 * --json prints one JSON object per line on stdout and nothing else; text mode prints a table per
 * benchmark and, under it, its targets met or not.
 */
const BENCHMARKS: readonly {
  readonly name: string;
  readonly run: (options: BenchOptions) => BenchOutcome;
}[] = [
  { name: 'heartbeat-storm', run: heartbeatStormBench },
  { name: 'fuzz', run: fuzzBench },
  { name: 'time-to-find', run: timeToFindBench },
  { name: 'model-speed', run: modelSpeedBench },
  { name: 'explore', run: exploreBench },
  { name: 'start-up', run: startUpBench },
];

interface Args {
  readonly json: boolean;
  readonly only: string | null;
}

function usage(): string {
  return `usage: node dist/bench/run.js [--json] [--only NAME]\nbenchmarks: ${BENCHMARKS.map((b) => b.name).join(', ')}`;
}

function parseArgs(argv: readonly string[]): Args | string {
  let json = false;
  let only: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--json') json = true;
    else if (arg === '--only') {
      const name = argv[++i];
      if (name === undefined) return '--only needs a benchmark name';
      only = name;
    } else if (arg.startsWith('--only=')) only = arg.slice('--only='.length);
    else if (arg === '--help' || arg === '-h') return '';
    else return `unknown argument '${arg}'`;
  }
  if (only !== null && !BENCHMARKS.some((b) => b.name === only)) return `unknown benchmark '${only}'`;
  return { json, only };
}

/**
 * Prints rows of one benchmark as an aligned table, the header before the first row. Rows stream
 * in as they finish, so widths are fixed up front: text columns (scenario paths) left-aligned
 * and wide, numbers right-aligned.
 */
class TablePrinter {
  private columns: { name: string; text: boolean; width: number }[] | null = null;
  private static readonly numberWidth = 12;
  /** Scenario paths are long; other text (impl, variant) is short. */
  private static textWidth(name: string): number {
    return name === 'scenario' ? 58 : name === 'command' ? 44 : 14;
  }

  row(row: BenchRow): void {
    if (this.columns === null) {
      this.columns = Object.keys(row)
        .filter((k) => k !== 'bench')
        .map((name) => ({ name, text: typeof row[name] === 'string', width: TablePrinter.textWidth(name) }));
      process.stdout.write(`\n${String(row.bench)}\n`);
      process.stdout.write(`${this.columns.map((c) => this.pad(c.name, c)).join(' ')}\n`);
    }
    const cells = this.columns.map((c) => {
      const value = row[c.name];
      const text =
        typeof value === 'number' && Number.isInteger(value) ? value.toLocaleString('en-US') : String(value);
      return this.pad(text, c);
    });
    process.stdout.write(`${cells.join(' ')}\n`);
  }

  private pad(text: string, column: { text: boolean; width: number }): string {
    return column.text ? text.padEnd(column.width) : text.padStart(TablePrinter.numberWidth);
  }
}

function main(): number {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    if (args !== '') process.stderr.write(`bench: ${args}\n`);
    process.stderr.write(`${usage()}\n`);
    return args === '' ? 0 : 2;
  }
  for (const bench of BENCHMARKS) {
    if (args.only !== null && bench.name !== args.only) continue;
    const table = new TablePrinter();
    const onRow = (row: BenchRow): void => {
      if (args.json) process.stdout.write(`${JSON.stringify(row)}\n`);
      else table.row(row);
    };
    const outcome = bench.run({ onRow });
    if (outcome.status === 'done' && !args.json && outcome.targets.length > 0)
      process.stdout.write(`${formatTargets(outcome.targets).join('\n')}\n`);
    // A stub prints no numbers; only a run that asked for it by name is told why.
    if (outcome.status === 'not-available' && args.only !== null) {
      process.stderr.write(`bench: ${bench.name} is not yet available: ${outcome.why}\n`);
    }
  }
  return 0;
}

process.exitCode = main();
