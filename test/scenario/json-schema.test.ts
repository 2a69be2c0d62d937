import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCENARIO_SCHEMA_PATH, scenarioJsonSchemaText } from '../../src/scenario/json-schema.js';

describe('schema/scenario.schema.json', () => {
  it('should match what the loader schemas generate (run `npm run schema` after changing them)', () => {
    const committed = readFileSync(SCENARIO_SCHEMA_PATH, 'utf8');
    expect(committed).toBe(scenarioJsonSchemaText());
  });

  it('should describe durations, systems and exactly-one-action steps', () => {
    const schema = JSON.parse(scenarioJsonSchemaText()) as {
      properties: Record<string, { enum?: string[]; anyOf?: { pattern?: string; enum?: string[] }[] }>;
      allOf: { then: { properties: { timeline: { items: { maxProperties: number } } } } }[];
    };
    // A built-in id, a plug-in module by path (relative to the file) or a package name.
    const [ids, path, pkg] = schema.properties.system?.anyOf ?? [];
    expect(ids?.enum).toEqual(['mantis', 'ava']);
    const matches = (p: { pattern?: string } | undefined, text: string): boolean =>
      new RegExp(p?.pattern ?? '^$').test(text);
    expect(['./models/lease.ts', '../lease.js', '/abs/lease.mjs'].every((t) => matches(path, t))).toBe(true);
    expect(matches(path, 'mantis')).toBe(false);
    expect(['clustersim-lease', '@acme/lease-model'].every((t) => matches(pkg, t))).toBe(true);
    expect(matches(pkg, 'Lease Model')).toBe(false);
    expect(schema.properties.duration?.anyOf?.[1]?.pattern).toBeDefined();
    expect(new RegExp(schema.properties.duration?.anyOf?.[1]?.pattern ?? '').test('1m30s')).toBe(true);
    expect(schema.allOf.map((s) => s.then.properties.timeline.items.maxProperties)).toEqual([2, 2]);
  });

  it('should give the bounds of latency and message delay as the engine draws them: [min, max)', () => {
    const descriptions = [...scenarioJsonSchemaText().matchAll(/"description": "([^"]*)"/g)]
      .map((m) => m[1] ?? '')
      .filter((d) => d.startsWith('Per-message latency') || d.startsWith('Extra delay per message'));
    expect(descriptions).toHaveLength(3);
    for (const description of descriptions) expect(description).toContain('uniform in [min, max)');
  });
});
