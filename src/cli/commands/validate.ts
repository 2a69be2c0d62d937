import type { Command } from 'commander';
import type { ScenarioProblem } from '../../scenario/load.js';
import { formatProblem, loadScenario, ScenarioError } from '../../scenario/load.js';
import { chalkFor } from '../options.js';
import { expandScenarioPaths } from '../paths.js';

interface ValidateFlags {
  readonly json?: boolean;
  readonly quiet?: boolean;
  readonly color: boolean;
}

export function register(program: Command): void {
  program
    .command('validate')
    .description(
      'checks scenario files only (exit 0: all valid, 2: a problem); directories are searched for *.yaml / *.yml',
    )
    .argument('<files...>', 'scenario files or directories')
    .option('--json', 'one JSON object: { files: [{ file, valid, problems }] }')
    .option('--quiet', 'print problems only')
    .option('--no-color', 'no colours (also when NO_COLOR is set)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ clustersim validate scenarios/\n  $ clustersim validate my-scenario.yaml other.yaml\n',
    )
    .action((paths: string[], flags: ValidateFlags) => validateCommand(paths, flags));
}

function validateCommand(paths: string[], flags: ValidateFlags): void {
  const files = expandScenarioPaths(paths);
  const c = chalkFor(flags);
  const report: { file: string; valid: boolean; problems: ScenarioProblem[] }[] = [];
  for (const file of files) {
    try {
      loadScenario(file);
      report.push({ file, valid: true, problems: [] });
      if (flags.json !== true && flags.quiet !== true) process.stdout.write(`${c.green('ok')}  ${file}\n`);
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      report.push({ file, valid: false, problems: [...error.problems] });
      if (flags.json !== true)
        for (const problem of error.problems) process.stderr.write(`${formatProblem(problem)}\n`);
    }
  }
  const invalid = report.filter((r) => !r.valid).length;
  if (flags.json === true) process.stdout.write(`${JSON.stringify({ files: report })}\n`);
  else if (flags.quiet !== true)
    process.stdout.write(
      invalid === 0 ? `${files.length} file(s) valid\n` : `${invalid} of ${files.length} file(s) invalid\n`,
    );
  process.exitCode = invalid === 0 ? 0 : 2;
}
