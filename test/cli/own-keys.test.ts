// Issue 13 (4): a user-supplied name is an id only when it is one of the table's own keys.
// `constructor`, `toString`, `__proto__` are in every JavaScript object and once passed as
// variants (`--variant constructor` ran as-is under that label).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemById } from '../../src/systems/registry.js';
import { cli } from '../helpers/cli-capture.js';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'clustersim-own-keys-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PROTOTYPE_NAMES = [
  'constructor',
  'toString',
  'hasOwnProperty',
  '__proto__',
  'valueOf',
  'isPrototypeOf',
  'toString+hasOwnProperty',
  'fix-3+constructor',
  '__defineGetter__',
];

/** Names that are not ids of `ids`: prototype names first, then any string. */
function notAnId(ids: readonly string[]): fc.Arbitrary<string> {
  return fc
    .oneof(fc.constantFrom(...PROTOTYPE_NAMES), fc.string({ maxLength: 20 }))
    .filter((s) => !ids.includes(s) && !s.startsWith('-'));
}

const SCENARIOS = {
  mantis: 'scenarios/mantis/report.yaml',
  ava: 'scenarios/ava/s1-silent-drop-reconnect.yaml',
};

/** Every valid Mantis variant expression is a '+' combination of these. */
function isMantisExpression(s: string): boolean {
  const ids = systemById('mantis').variants.map((v) => v.id);
  const parts = s.split('+');
  return parts.every((p) => ids.includes(p)) && new Set(parts).size === parts.length;
}

describe('ids are looked up as own keys', () => {
  it.each(['mantis', 'ava'] as const)(
    'rejects every --variant of %s that is not a variant, with exit 2 and the allowed list',
    async (system) => {
      const ids = systemById(system).variants.map((v) => v.id);
      await fc.assert(
        fc.asyncProperty(
          notAnId(ids).filter((s) => system !== 'mantis' || !isMantisExpression(s)),
          async (name) => {
            const { code, stderr } = await cli('run', SCENARIOS[system], '--variant', name, '--quiet');
            expect(code).toBe(2);
            expect(stderr).toContain(`allowed: ${ids[0]}`);
          },
        ),
        { numRuns: 40, examples: PROTOTYPE_NAMES.map((n) => [n]) },
      );
    },
  );

  it.each(['mantis', 'ava'] as const)(
    'rejects every `variant:` of a %s file that is not a variant, in validate',
    async (system) => {
      const ids = systemById(system).variants.map((v) => v.id);
      const cluster = system === 'mantis' ? '{ executors: 2 }' : '{ operators: [{ address: "0xA1" }] }';
      await fc.assert(
        fc.asyncProperty(
          notAnId(ids).filter((s) => s.trim() !== '' && (system !== 'mantis' || !isMantisExpression(s))),
          async (name) => {
            const path = join(dir, `${system}.yaml`);
            writeFileSync(
              path,
              `name: t\nsystem: ${system}\nvariant: ${JSON.stringify(name)}\nduration: 1m\ncluster: ${cluster}\n`,
            );
            const { code, stderr } = await cli('validate', path);
            expect(code).toBe(2);
            expect(stderr).toMatch(/variant/);
            expect(stderr).toContain(`allowed: ${ids[0]}`);
          },
        ),
        { numRuns: 30, examples: PROTOTYPE_NAMES.map((n) => [n]) },
      );
    },
  );

  it('rejects every --invariants id that is not an invariant, with exit 2 and the allowed list', async () => {
    const ids = systemById('mantis').invariants.map((i) => i.id);
    await fc.assert(
      fc.asyncProperty(
        notAnId(ids).filter((s) => s.split(',').some((p) => p.trim() !== '' && !ids.includes(p.trim()))),
        async (name) => {
          const { code, stderr } = await cli(
            'fuzz',
            'scenarios/mantis/fuzz.yaml',
            '--invariants',
            name,
            '--seeds',
            '1',
          );
          expect(code).toBe(2);
          expect(stderr).toContain(`allowed: ${ids[0]}`);
        },
      ),
      { numRuns: 30, examples: PROTOTYPE_NAMES.map((n) => [n]) },
    );
  });

  it('rejects every --set key that is not a config key, with exit 2 and the allowed list', async () => {
    const keys = systemById('mantis').config.map((c) => c.key);
    await fc.assert(
      fc.asyncProperty(
        notAnId(keys).filter((s) => s.trim() !== '' && !s.includes('=') && !keys.includes(s.trim())),
        async (key) => {
          const { code, stderr } = await cli('run', SCENARIOS.mantis, '--set', `${key}=1`, '--quiet');
          expect(code).toBe(2);
          expect(stderr).toContain(`allowed: ${keys[0]}`);
        },
      ),
      { numRuns: 30, examples: PROTOTYPE_NAMES.map((n) => [n]) },
    );
  });

  it('rejects every `list` section that is not one, with exit 2 and the allowed list', async () => {
    const sections = ['systems', 'variants', 'invariants', 'actions', 'config'];
    await fc.assert(
      fc.asyncProperty(notAnId(sections), async (what) => {
        const { code, stderr } = await cli('list', what);
        expect(code).toBe(2);
        expect(stderr).toContain('allowed: systems');
      }),
      { numRuns: 30, examples: PROTOTYPE_NAMES.map((n) => [n]) },
    );
  });
});
