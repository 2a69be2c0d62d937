// INTERFACE STUB: the exploration work (issue 6) replaces this with the real `fuzz` command.
import type { Command } from 'commander';

/** Adds the `fuzz` command to the program. Sets process.exitCode; throws UsageError/ScenarioError on bad input. */
export function register(program: Command): void {
  void program;
}
