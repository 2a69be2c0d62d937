// INTERFACE STUB: the exploration work (issue 6) replaces this with the real `merge` command.
import type { Command } from 'commander';

/** Adds the `merge` command to the program. Sets process.exitCode; throws UsageError/ScenarioError on bad input. */
export function register(program: Command): void {
  void program;
}
