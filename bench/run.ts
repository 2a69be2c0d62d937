import type { BenchOptions, BenchOutcome, BenchRow } from './bench-result.js';
import { fuzzBench } from './fuzz.js';
import { heartbeatStormBench } from './heartbeat-storm.js';
import { timeToFindBench } from './time-to-find.js';

/**
 * `npm run bench [-- --json] [-- --only NAME]`: the benchmarks of CONTRACT §8.
 * --json prints one JSON object per line on stdout and nothing else; text mode prints a table.
 */
const BENCHMARKS: readonly { readonly name: string; readonly run: (options: BenchOptions) => BenchOutcome }[] = [
  { name: 'heartbeat-storm', run: heartbeatStormBench },
  { name: 'fuzz', run: fuzzBench },
  { name: 'time-to-find', run: timeToFindBench },
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

/** Prints rows of one benchmark as an aligned table, the header before the first row. */
class TablePrinter {
  private columns: string[] | null = null;
  private readonly width = 12;

  row(row: BenchRow): void {
    if (this.columns === null) {
      this.columns = Object.keys(row).filter((k) => k !== 'bench');
      process.stdout.write(`\n${String(row.bench)}\n`);
      process.stdout.write(`${this.columns.map((c) => c.padStart(this.width)).join(' ')}\n`);
    }
    const cells = this.columns.map((c) => {
      const value = row[c];
      const text = typeof value === 'number' && Number.isInteger(value) ? value.toLocaleString('en-US') : String(value);
      return text.padStart(this.width);
    });
    process.stdout.write(`${cells.join(' ')}\n`);
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
    // A stub prints no numbers; only a run that asked for it by name is told why.
    if (outcome.status === 'not-available' && args.only !== null) {
      process.stderr.write(`bench: ${bench.name} is not yet available: ${outcome.why}\n`);
    }
  }
  return 0;
}

process.exitCode = main();
