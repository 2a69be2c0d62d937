import { z } from 'zod';
import { DURATION_HELP, parseDuration } from '../util/duration.js';
import { durationSchema } from '../util/duration-schema.js';

/**
 * The system-agnostic shape of a scenario file (CONTRACT §3), as written (input side). The
 * loader validates with these, then converts; json-schema.ts builds schema/scenario.schema.json
 * from the same objects, adding each system's cluster, config and actions.
 */

export const NAME_PATTERN = /^[a-z0-9-]+$/;
export const TIMELINE_STEPS_MAX = 10_000;
/** At most this many drawn faults of one kind per run (duration / every). */
export const FAULTS_PER_KIND_MAX = 10_000;

/** `[min, max]`, two durations with min <= max. */
export const durationRangeSchema = z
  .tuple([durationSchema, durationSchema], { error: `expected [min, max], two durations (${DURATION_HELP})` })
  .superRefine((value, ctx) => {
    const min = parseDuration(value[0]);
    const max = parseDuration(value[1]);
    if (min.ok && max.ok && min.ms > max.ms)
      ctx.addIssue({
        code: 'custom',
        message: `min ${String(value[0])} is larger than max ${String(value[1])}`,
      });
  });

/** How the network draws a `[min, max]` pair (engine/network.ts): max itself is never drawn. */
const HALF_OPEN = 'uniform in [min, max) to the microsecond (equal bounds give exactly min)';

const probabilitySchema = z
  .number({ error: 'expected a probability, a number from 0 to 1' })
  .min(0, { error: 'a probability must be from 0 to 1' })
  .max(1, { error: 'a probability must be from 0 to 1' });

export const networkSchema = z.strictObject({
  latency: durationRangeSchema
    .optional()
    .meta({ description: `Per-message latency, ${HALF_OPEN}. Default [1ms, 10ms].` }),
  drop: probabilitySchema.optional().meta({ description: 'Probability a message is lost. Default 0.' }),
  duplicate: probabilitySchema
    .optional()
    .meta({ description: 'Probability a message is delivered twice. Default 0.' }),
  messageDelay: durationRangeSchema.optional().meta({
    description: `Extra delay per message, ${HALF_OPEN}, on every run (faults.messageDelay is the same, but drawn per seed; repro files write it here). Default none.`,
  }),
});

const everySchema = durationSchema.meta({
  description: 'Mean gap between faults of this kind over the whole cluster.',
});

/** A system's own fault kind (SystemModel.faults): which ranges it takes is checked by the loader. */
export const systemFaultSchema = z.strictObject({
  every: everySchema,
  for: durationRangeSchema
    .optional()
    .meta({ description: 'How long the fault lasts (its meaning: `clustersim list faults`).' }),
  by: durationRangeSchema.optional().meta({ description: 'How much later messages arrive (delay faults).' }),
});

/** Keys of `faults:` that are not system fault kinds. */
export const GENERIC_FAULT_KEYS = [
  'crash',
  'drop',
  'partition',
  'pause',
  'messageDelay',
  'config',
  'swarm',
  'quiet',
] as const;

export const faultsSchema = z
  .object({
    crash: z.strictObject({ every: everySchema, restartAfter: durationRangeSchema.optional() }).optional(),
    drop: z.strictObject({ every: everySchema, reconnectAfter: durationRangeSchema.optional() }).optional(),
    partition: z.strictObject({ every: everySchema, for: durationRangeSchema }).optional(),
    pause: z.strictObject({ every: everySchema, for: durationRangeSchema }).optional(),
    messageDelay: durationRangeSchema
      .optional()
      .meta({ description: `Extra delay per message, ${HALF_OPEN}.` }),
    config: z
      .record(
        z.string(),
        z.tuple([z.union([z.string(), z.number()]), z.union([z.string(), z.number()])], {
          error: 'expected [min, max], two values of the config key',
        }),
      )
      .optional()
      .meta({
        description:
          'Timing config keys drawn per seed: key: [min, max] (durations or numbers), uniform; written into a repro as plain config; swarm may leave a key at its configured value.',
      }),
    swarm: z.boolean().optional().meta({
      description: 'Each seed switches a random subset of these fault kinds (and config ranges) off.',
    }),
    quiet: durationSchema.optional().meta({
      description:
        'No fault starts in this last stretch of the run, so liveness invariants are judged after the faults stop. Default: a quarter of the duration.',
    }),
  })
  // A system's own kinds: checked against the model, with systemFaultSchema, by faults-check.ts.
  .catchall(z.unknown());

/** Top level of a scenario file. Sections that belong to a system are checked by hand. */
export const scenarioFileSchema = z.strictObject({
  name: z
    .string({
      error: (issue) =>
        issue.input === undefined
          ? 'missing (required: a name of a-z, 0-9 and -)'
          : 'expected a name of a-z, 0-9 and -',
    })
    .regex(NAME_PATTERN, { error: 'must use only a-z, 0-9 and - (allowed: [a-z0-9-]+)' })
    .max(100),
  description: z.string().optional(),
  system: z.string({
    error: (issue) =>
      issue.input === undefined ? 'missing (required: the system under test)' : 'expected the id of a system',
  }),
  variant: z.string().optional(),
  seed: z
    .number({ error: 'expected an integer seed' })
    .int({ error: 'expected an integer seed' })
    .min(0, { error: 'a seed must be >= 0' })
    .max(Number.MAX_SAFE_INTEGER)
    .optional(),
  duration: durationSchema,
  config: z.record(z.string(), z.unknown()).nullable().optional(),
  network: networkSchema.nullable().optional(),
  cluster: z.unknown().optional(),
  timeline: z.array(z.unknown()).max(TIMELINE_STEPS_MAX).nullable().optional(),
  faults: faultsSchema.nullable().optional(),
  expect: z
    .record(
      z.string(),
      z.array(z.string(), { error: 'expected a list of invariant ids ([] = every invariant holds)' }),
    )
    .nullable()
    .optional(),
  traceHash: z
    .string()
    .regex(/^[0-9a-f]{8,64}$/, { error: 'expected a hex trace hash' })
    .optional(),
});

/** Generic timeline actions, handled by the runner for every system (CONTRACT §3). */
export const GENERIC_ACTIONS: readonly {
  readonly name: string;
  readonly meaning: string;
  readonly example: string;
}[] = [
  {
    name: 'crash',
    meaning: 'abrupt stop of a node: its actors, timers and in-flight messages are lost',
    example: 'crash: NODE',
  },
  {
    name: 'restart',
    meaning: 'starts a crashed node again as a new incarnation (crashes it first if up)',
    example: 'restart: NODE',
  },
  {
    name: 'pause',
    meaning: 'freezes a node for a while (a GC pause); messages wait for it',
    example: 'pause: { node: NODE, for: 30s }',
  },
  {
    name: 'partition',
    meaning: 'cuts the listed nodes off from all others',
    example: 'partition: [NODE, ...]',
  },
  {
    name: 'heal',
    meaning: 'ends the partition of the listed nodes, or of all',
    example: 'heal: [NODE, ...] or heal: all',
  },
  {
    name: 'check',
    meaning:
      "asserts a fact of the system's state at that moment (clustersim list checks); the run fails with check-failed when it does not hold",
    example: 'check: { rc: TE-1, is: Running(A-1-0) }',
  },
];
