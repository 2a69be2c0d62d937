import type { Command } from 'commander';
import { checkOutputFile, writeFileAtomic } from '../../report/write-file.js';
import { mergeReports } from '../../explore/merge.js';
import { fuzzReportSchema } from '../../explore/report-schema.js';
import { readInputFile } from '../../util/read-file.js';
import { packageVersion } from '../../report/version.js';
import { pathText } from '../../scenario/positions.js';
import { renderFuzzReport } from '../../explore/render.js';
import type { FuzzReport } from '../../explore/report.js';
import { UsageError } from '../../util/errors.js';
import { chalkFor } from '../options.js';

interface MergeFlags {
  readonly out?: string;
  readonly json?: boolean;
  readonly verbose?: boolean;
  readonly color: boolean;
}

export function register(program: Command): void {
  program
    .command('merge')
    .description('merges sharded fuzz reports (fuzz --report / --json) into one (exit 0)')
    .argument('<reports...>', 'report.json files of the shards')
    .option('--out <file>', 'also write the merged report here')
    .option('--json', 'merged report as JSON on stdout (the shape of fuzz --json)')
    .option('--verbose', 'the summary lists every finding, not the first of each invariant')
    .option('--no-color', 'no colours (also when NO_COLOR is set)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ clustersim merge shard-1.json shard-2.json shard-3.json --json > campaign.json\n',
    )
    .action((files: string[], flags: MergeFlags) => mergeCommand(files, flags));
}

function mergeCommand(files: string[], flags: MergeFlags): void {
  if (flags.out !== undefined) checkOutputFile(flags.out);
  const reports = files.map((file) => ({ file, report: readReport(file) }));
  const merged = mergeReports(reports);
  if (merged.missingShards.length > 0) {
    process.stderr.write(
      `clustersim: warning: shards ${merged.missingShards.join(', ')} of ${merged.shards[0]?.count ?? '?'} are missing; the merged report is partial\n`,
    );
  }
  if (flags.out !== undefined) writeFileAtomic(flags.out, `${JSON.stringify(merged, null, 2)}\n`);
  if (flags.json === true) process.stdout.write(`${JSON.stringify(merged)}\n`);
  else process.stdout.write(renderFuzzReport(merged, chalkFor(flags), { verbose: flags.verbose === true }));
  process.exitCode = 0;
}

/** A report larger than this is not one fuzz --report wrote (docs/scenarios.md: limits). */
export const REPORT_BYTES_MAX = 128 * 1024 * 1024;

/** A fuzz report file, checked: its shape, and made by this clustersim (the CLI stamps it). */
function readReport(file: string): FuzzReport {
  const read = readInputFile(file, REPORT_BYTES_MAX);
  if (!read.ok) throw new UsageError(`${file}: ${read.reason}`);
  let data: unknown;
  try {
    data = JSON.parse(read.bytes.toString('utf8'));
  } catch (error) {
    throw new UsageError(`${file}: not JSON (${(error as Error).message})`);
  }
  const parsed = fuzzReportSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined || issue.path.length === 0 ? '' : ` (at ${pathText(issue.path)})`;
    throw new UsageError(
      `${file}: not a clustersim fuzz report${where} (\`clustersim fuzz --report FILE\` makes one)`,
    );
  }
  const report = parsed.data;
  if (report.clustersim === undefined || report.scenarioHash === undefined)
    throw new UsageError(
      `${file}: has no clustersim version or scenario hash (made by an older clustersim); re-run its shard`,
    );
  if (report.clustersim !== packageVersion())
    throw new UsageError(
      `${file}: made by clustersim ${report.clustersim}, this is ${packageVersion()}; re-run the shards with one version`,
    );
  return report;
}
