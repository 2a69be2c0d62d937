import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { checkOutputFile, writeFileAtomic } from '../../report/write-file.js';
import { mergeReports } from '../../explore/merge.js';
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

function readReport(file: string): FuzzReport {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`${file}: cannot read the report (no such file?)`);
  }
  try {
    return JSON.parse(text) as FuzzReport;
  } catch (error) {
    throw new UsageError(`${file}: not JSON (${(error as Error).message})`);
  }
}
