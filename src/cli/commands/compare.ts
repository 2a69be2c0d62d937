// INTERFACE STUB: the exploration work (issue 6) replaces this with the real `compare` command.
import type { Command } from 'commander';

/** Adds the `compare` command to the program. Sets process.exitCode; throws UsageError/ScenarioError on bad input. */
export function register(program: Command): void {
  void program;
}
