import type { Command } from 'commander';
import { renderFlagship } from '../../demo/flagship.js';
import { chalkFor } from '../options.js';

export function register(program: Command): void {
  program
    .command('demo')
    .description(
      'the flagship (npm start): the Mantis bug report, as-is code against the merged fix, side by side',
    )
    .option('--no-color', 'no colours (also when NO_COLOR is set)')
    .addHelpText('after', '\nExample:\n  $ clustersim demo --no-color\n')
    .action((flags: { color: boolean }) => {
      process.stdout.write(renderFlagship({ color: chalkFor(flags).level > 0 }));
      process.exitCode = 0;
    });
}
