import { Chalk } from 'chalk';
import type { ChalkInstance } from 'chalk';
import type { Command } from 'commander';
import { Option } from 'commander';
import { systemById } from '../systems/registry.js';
import { UsageError } from '../util/errors.js';

/** Flags shared by commands that run scenarios (CONTRACT §2). */
export interface RunFlags {
  readonly seed?: string;
  readonly variant?: string;
  readonly set?: string[];
  readonly json?: boolean;
  readonly color: boolean;
  readonly quiet?: boolean;
  readonly verbose?: boolean;
}

/** Commander arg parser for repeatable flags: `--set a=1 --set b=2` → ['a=1', 'b=2']. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export function addSeedVariantSet(command: Command): Command {
  return command
    .option('--seed <n>', "seed of the run (default: the file's seed, else 1)")
    .option(
      '--variant <name>',
      "variant to run, e.g. fix-1a-merged or fix-1a-merged+fix-3 (default: the file's)",
    )
    .addOption(setOption());
}

/** `--set key=value`, repeatable; always an array (empty when not given). */
export function setOption(): Option {
  return new Option('--set <key=value>', 'override a config key or switch (repeatable)')
    .argParser(collect)
    .default([]);
}

export function addOutputFlags(command: Command): Command {
  return command
    .option('--json', 'machine output on stdout (one JSON object), nothing else there')
    .option('--no-color', 'no colours (also when NO_COLOR is set)')
    .option('--quiet', 'summary only')
    .option('--verbose', 'everything, including verbose-only notes');
}

/** `--seed N` as a number; UsageError when it is not a non-negative safe integer. */
export function parseSeedFlag(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(
      `--seed: '${text}' is not a seed (allowed: an integer from 0 to ${Number.MAX_SAFE_INTEGER})`,
    );
  }
  return Number(text);
}

/**
 * A comma-separated list of invariant ids of `system` (`--invariants a,b`, `--invariant a`), or a
 * UsageError naming the flag and the allowed ids.
 */
export function parseInvariantIds(flag: string, system: string, text: string): string[] {
  const known = systemById(system).invariants.map((i) => i.id);
  const ids = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const unknown = ids.filter((id) => !known.includes(id));
  if (ids.length === 0 || unknown.length > 0) {
    throw new UsageError(
      `${flag}: unknown ${system} invariant '${unknown[0] ?? text}' (allowed: ${known.join(', ')})`,
    );
  }
  return ids;
}

/** Colours only for a terminal, never with --no-color or NO_COLOR (https://no-color.org). */
export function chalkFor(
  options: { readonly color?: boolean },
  stream: NodeJS.WriteStream = process.stdout,
): ChalkInstance {
  const noColorEnv = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';
  const forced = process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0';
  const wanted = options.color !== false && !noColorEnv && (stream.isTTY === true || forced);
  return new Chalk({ level: wanted ? 1 : 0 });
}

/** `--html FILE`: a self-contained offline HTML report (issue #16); `what` says what it shows. */
export function addHtmlFlag(command: Command, what: string): Command {
  return command.option('--html <file>', `also write an offline HTML report (one file, no network): ${what}`);
}
