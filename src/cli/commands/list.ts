import type { Command } from 'commander';
import { checksOf } from '../../scenario/check-step.js';
import { buildScenarioJsonSchema } from '../../scenario/json-schema.js';
import { GENERIC_ACTIONS } from '../../scenario/schema.js';
import { formatDuration } from '../../util/duration.js';
import { allSystems } from '../../systems/registry.js';
import type { ConfigKeySpec } from '../../systems/system-model.js';
import { UsageError } from '../../util/errors.js';
import { chalkFor } from '../options.js';

const SECTIONS = ['systems', 'variants', 'invariants', 'actions', 'checks', 'faults', 'config'] as const;
type Section = (typeof SECTIONS)[number];

export function register(program: Command): void {
  program
    .command('list')
    .description(
      'what exists, with one line of meaning each: systems, variants, invariants, actions, checks, faults, config',
    )
    .argument('[what]', `one of ${SECTIONS.join(', ')} (default: all), or schema (the scenario JSON Schema)`)
    .option('--system <id>', 'only this system')
    .option('--json', 'one JSON object')
    .option('--no-color', 'no colours (also when NO_COLOR is set)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ clustersim list invariants\n  $ clustersim list variants --system mantis\n',
    )
    .action((what: string | undefined, flags: { system?: string; json?: boolean; color: boolean }) =>
      listCommand(what, flags),
    );
}

function listCommand(
  what: string | undefined,
  flags: { system?: string; json?: boolean; color: boolean },
): void {
  if (what === 'schema') {
    // The JSON Schema of scenario files for every system known here, plug-ins included.
    const systems = allSystems().filter((s) => flags.system === undefined || s.id === flags.system);
    process.stdout.write(`${JSON.stringify(buildScenarioJsonSchema(systems), null, 2)}\n`);
    process.exitCode = 0;
    return;
  }
  if (what !== undefined && !(SECTIONS as readonly string[]).includes(what))
    throw new UsageError(`list: unknown section '${what}' (allowed: ${SECTIONS.join(', ')}, schema)`);
  const sections: readonly Section[] = what === undefined ? SECTIONS : [what as Section];
  const systems = allSystems().filter((s) => flags.system === undefined || s.id === flags.system);
  if (systems.length === 0)
    throw new UsageError(
      `list: unknown system '${flags.system ?? ''}' (allowed: ${allSystems()
        .map((s) => s.id)
        .join(', ')})`,
    );
  if (flags.json === true) {
    const out: Record<string, unknown> = {};
    for (const section of sections) {
      out[section] =
        section === 'systems'
          ? systems.map((s) => ({
              id: s.id,
              meaning: s.meaning,
              controlPlaneNode: s.controlPlaneNode,
              defaultVariant: s.defaultVariant,
            }))
          : Object.fromEntries(systems.map((s) => [s.id, sectionItems(section, s)]));
    }
    process.stdout.write(`${JSON.stringify(out)}\n`);
    process.exitCode = 0;
    return;
  }
  const c = chalkFor(flags);
  const lines: string[] = [];
  for (const section of sections) {
    lines.push(c.bold(section));
    if (section === 'systems') {
      const width = Math.max(...systems.map((s) => s.id.length));
      for (const s of systems)
        lines.push(
          `  ${c.cyan(s.id.padEnd(width))}  ${s.meaning} (control plane: ${s.controlPlaneNode}; default variant: ${s.defaultVariant})`,
        );
    } else {
      for (const s of systems) {
        lines.push(`  ${c.dim(s.id)}`);
        const items = sectionItems(section, s);
        const width = Math.max(0, ...items.map((i) => i.id.length));
        if (items.length === 0) lines.push(c.dim('    (none yet)'));
        for (const item of items) lines.push(`    ${c.cyan(item.id.padEnd(width))}  ${item.meaning}`);
      }
    }
    lines.push('');
  }
  process.stdout.write(lines.join('\n'));
  process.exitCode = 0;
}

interface Item {
  readonly id: string;
  readonly meaning: string;
}

function sectionItems(
  section: Exclude<Section, 'systems'>,
  system: ReturnType<typeof allSystems>[number],
): Item[] {
  switch (section) {
    case 'variants':
      return system.variants.map((v) => ({
        id: v.id === system.defaultVariant ? `${v.id} (default)` : v.id,
        meaning: v.meaning,
      }));
    case 'invariants':
      return system.invariants.map((i) => ({
        id: i.id,
        meaning: `${i.kind === 'liveness' ? '[liveness] ' : ''}${i.meaning}`,
      }));
    case 'actions':
      return [
        ...GENERIC_ACTIONS.map((a) => ({ id: a.name, meaning: `${a.meaning} — e.g. ${a.example}` })),
        ...system.actions.map((a) => ({ id: a.name, meaning: `${a.meaning} — e.g. ${a.example}` })),
      ];
    case 'checks':
      return checksOf(system).map((k) => ({ id: k.name, meaning: `${k.meaning} — e.g. ${k.example}` }));
    case 'faults':
      return faultItems(system);
    case 'config':
      return system.config.map((k) => ({
        id: k.key,
        meaning: `${k.meaning} (${configKindText(k)}, default ${defaultText(k)})`,
      }));
  }
}

/** The generic kinds of `faults:`, then the system's own (SystemModel.faults). */
function faultItems(system: ReturnType<typeof allSystems>[number]): Item[] {
  const generic: Item[] = [
    {
      id: 'crash',
      meaning:
        'a node crashes, restarted after restartAfter — e.g. crash: { every: 3m, restartAfter: [10s, 4m] }',
    },
    ...(system.dropSteps !== undefined
      ? [
          {
            id: 'drop',
            meaning:
              'a silent transport drop, reconnected after reconnectAfter — e.g. drop: { every: 60s, reconnectAfter: [1s, 60s] }',
          },
        ]
      : []),
    {
      id: 'partition',
      meaning: 'a node is cut off for a while — e.g. partition: { every: 10m, for: [1s, 60s] }',
    },
    { id: 'pause', meaning: 'a node freezes for a while — e.g. pause: { every: 10m, for: [1s, 30s] }' },
    { id: 'messageDelay', meaning: 'extra delay per message — e.g. messageDelay: [0ms, 200ms]' },
    {
      id: 'config',
      meaning:
        'timing config keys drawn per seed, written into repros — e.g. config: { workerTimeout: [30s, 3m] }',
    },
  ];
  return [
    ...generic,
    ...(system.faults ?? []).map((f) => ({ id: f.name, meaning: `${f.meaning} — e.g. ${f.example}` })),
  ];
}

function configKindText(spec: ConfigKeySpec): string {
  return spec.kind === 'enum' ? (spec.values ?? []).join(' | ') : spec.kind;
}

function defaultText(spec: ConfigKeySpec): string {
  return spec.kind === 'duration' && typeof spec.default === 'number'
    ? formatDuration(spec.default)
    : String(spec.default);
}
