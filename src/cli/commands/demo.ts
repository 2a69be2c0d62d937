import type { Command } from 'commander';
import { renderFlagship } from '../../demo/flagship.js';
import { UsageError } from '../../util/errors.js';
import { chalkFor } from '../options.js';

export function register(program: Command): void {
  program
    .command('demo')
    .description(
      'the flagship (npm start): the Mantis bug report, as-is code against the merged fix, side by side (stacked on a narrow terminal)',
    )
    .option('--no-color', 'no colours (also when NO_COLOR is set)')
    .option('--width <columns>', "columns to fit (default: the terminal's, else $COLUMNS, else 127)")
    .addHelpText('after', '\nExample:\n  $ clustersim demo --no-color --width 80\n')
    .action((flags: { color: boolean; width?: string }) => {
      process.stdout.write(renderFlagship({ color: chalkFor(flags).level > 0, ...widthOf(flags.width) }));
      process.exitCode = 0;
    });
}

/** --width, else the terminal's columns, else $COLUMNS; none: the demo's full width. */
function widthOf(flag: string | undefined): { width?: number } {
  if (flag !== undefined) {
    if (!/^\d{1,4}$/.test(flag) || Number(flag) < 1)
      throw new UsageError(`--width: '${flag}' is not a number of columns (allowed: 1 to 9999)`);
    return { width: Number(flag) };
  }
  const columns = process.stdout.isTTY === true ? process.stdout.columns : Number(process.env.COLUMNS);
  return Number.isInteger(columns) && columns > 0 ? { width: columns } : {};
}
