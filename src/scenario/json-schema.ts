import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { allSystems } from '../systems/registry.js';
import { faultKeysOf } from './faults-check.js';
import type { ConfigKeySpec, SystemModel } from '../systems/system-model.js';
import { checksOf } from './check-step.js';
import { DURATION_HELP, DURATION_PATTERN, formatDuration } from '../util/duration.js';
import { DURATION_DESCRIPTION } from '../util/duration-schema.js';
import { GENERIC_ACTIONS, scenarioFileSchema, systemFaultSchema } from './schema.js';
import { writeFileAtomic } from '../report/write-file.js';

type JsonSchema = Record<string, unknown>;

/** An npm package name (scoped or not), which a scenario may name as its plug-in system. */
const PACKAGE_NAME = '^(@[a-z0-9-~][a-z0-9-._~]*/)?[a-z0-9-~][a-z0-9-._~]*$';

/** Where the committed schema lives (editors point `# yaml-language-server: $schema=` at it). */
export const SCENARIO_SCHEMA_PATH = 'schema/scenario.schema.json';

const durationJson: JsonSchema = {
  description: DURATION_DESCRIPTION,
  anyOf: [
    { type: 'number', minimum: 0 },
    { type: 'string', pattern: DURATION_PATTERN },
  ],
};

function toJson(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    override: (ctx) => {
      // Durations are validated by parseDuration; in the JSON Schema they get their pattern.
      if (ctx.jsonSchema.description === DURATION_DESCRIPTION) {
        for (const key of Object.keys(ctx.jsonSchema)) delete (ctx.jsonSchema as JsonSchema)[key];
        Object.assign(ctx.jsonSchema, structuredClone(durationJson));
      }
    },
  }) as JsonSchema;
  delete json.$schema;
  return json;
}

function configJson(spec: ConfigKeySpec): JsonSchema {
  const defaultText =
    spec.kind === 'duration' && typeof spec.default === 'number'
      ? formatDuration(spec.default)
      : String(spec.default);
  const description = `${spec.meaning} Default: ${defaultText}.`;
  switch (spec.kind) {
    case 'duration':
      return { ...structuredClone(durationJson), description };
    case 'integer':
    case 'number':
      return {
        type: spec.kind,
        description,
        ...(spec.min !== undefined ? { minimum: spec.min } : {}),
        ...(spec.max !== undefined ? { maximum: spec.max } : {}),
      };
    case 'boolean':
      return { type: 'boolean', description };
    case 'enum':
      return { type: 'string', enum: [...(spec.values ?? [])], description };
    case 'text':
      return {
        type: 'string',
        ...(spec.pattern !== undefined ? { pattern: spec.pattern.source } : {}),
        description,
      };
  }
}

function stepJson(model: SystemModel): JsonSchema {
  const node = { type: 'string', description: 'A node of the cluster.' };
  const nodeList = { type: 'array', items: node, minItems: 1 };
  const properties: Record<string, JsonSchema> = {
    at: { ...structuredClone(durationJson), description: 'When the step runs, from the start of the run.' },
    crash: { ...node, description: GENERIC_ACTIONS[0]?.meaning },
    restart: { ...node, description: GENERIC_ACTIONS[1]?.meaning },
    pause: {
      type: 'object',
      properties: { node, for: structuredClone(durationJson) },
      required: ['node', 'for'],
      additionalProperties: false,
      description: GENERIC_ACTIONS[2]?.meaning,
    },
    partition: { ...nodeList, description: GENERIC_ACTIONS[3]?.meaning },
    heal: { anyOf: [nodeList, { const: 'all' }], description: GENERIC_ACTIONS[4]?.meaning },
  };
  const checks = checksOf(model);
  properties.check = {
    ...(checks.length === 0
      ? { type: 'object', maxProperties: 0 }
      : {
          anyOf: checks.map((spec) => {
            const json = toJson(spec.schema);
            const own = (json.properties ?? {}) as Record<string, JsonSchema>;
            return {
              ...json,
              properties: {
                ...own,
                variants: {
                  type: 'array',
                  items: { type: 'string' },
                  minItems: 1,
                  description: 'Judge this check only under these variants (default: every variant).',
                },
              },
              description: `${spec.meaning} e.g. ${spec.example}`,
            };
          }),
        }),
    description: GENERIC_ACTIONS[5]?.meaning,
  };
  for (const action of model.actions)
    properties[action.name] = {
      ...toJson(action.schema),
      description: `${action.meaning} e.g. ${action.example}`,
    };
  // `at` plus exactly one action.
  return {
    type: 'object',
    properties,
    required: ['at'],
    minProperties: 2,
    maxProperties: 2,
    additionalProperties: false,
  };
}

/** One JSON Schema for scenario files of every system (`system` selects the system's parts). */
export function buildScenarioJsonSchema(systems: readonly SystemModel[] = allSystems()): JsonSchema {
  const base = toJson(scenarioFileSchema);
  const properties = base.properties as Record<string, JsonSchema>;
  properties.system = {
    description:
      'The system under test: a built-in or configured system id, a plug-in module (a path relative to this file), or a package name.',
    anyOf: [
      { type: 'string', enum: systems.map((s) => s.id) },
      { type: 'string', pattern: '^\\.{0,2}/', description: 'A plug-in module, relative to this file.' },
      { type: 'string', pattern: PACKAGE_NAME, description: 'A package exporting a plug-in system.' },
    ],
  };
  properties.name = { ...properties.name, description: 'Scenario name: a-z, 0-9 and -.' };
  properties.seed = { ...properties.seed, description: 'Seed of the run (default 1).' };
  properties.duration = {
    ...properties.duration,
    description: `Simulated time of the run: ${DURATION_HELP}.`,
  };
  const perSystem = systems.map((model) => ({
    if: { properties: { system: { const: model.id } }, required: ['system'] },
    then: {
      properties: {
        variant: {
          type: 'string',
          description: `Variant (default ${model.defaultVariant}); combine with +. One of: ${model.variants.map((v) => v.id).join(', ')}.`,
        },
        config: {
          type: ['object', 'null'],
          properties: Object.fromEntries(model.config.map((c) => [c.key, configJson(c)])),
          additionalProperties: false,
        },
        faults: {
          type: ['object', 'null'],
          propertyNames: { enum: faultKeysOf(model) },
          properties: {
            ...Object.fromEntries(
              (model.faults ?? []).map((f) => [
                f.name,
                { ...toJson(systemFaultSchema), description: f.meaning },
              ]),
            ),
            config: {
              type: 'object',
              propertyNames: {
                enum: model.config
                  .filter((c) => c.kind === 'duration' || c.kind === 'integer' || c.kind === 'number')
                  .map((c) => c.key),
              },
            },
          },
        },
        cluster: toJson(model.clusterSchema),
        timeline: { type: ['array', 'null'], items: stepJson(model) },
        expect: {
          type: ['object', 'null'],
          description: 'variant -> invariants that must be violated ([] = every invariant holds).',
          additionalProperties: {
            type: 'array',
            items: { type: 'string', enum: model.invariants.map((i) => i.id) },
          },
        },
      },
    },
  }));
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://github.com/clustersim/clustersim/schema/scenario.schema.json',
    title: 'clustersim scenario',
    description:
      "A clustersim scenario file (CONTRACT §3). Generated by `npm run schema` from the loader's zod schemas; do not edit.",
    ...base,
    allOf: perSystem,
  };
}

export function scenarioJsonSchemaText(): string {
  return `${JSON.stringify(buildScenarioJsonSchema(), null, 2)}\n`;
}

// `npm run schema`: regenerate the committed file.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileAtomic(SCENARIO_SCHEMA_PATH, scenarioJsonSchemaText());
  process.stdout.write(`wrote ${SCENARIO_SCHEMA_PATH}\n`);
}
