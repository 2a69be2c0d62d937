import { describe, expect, it } from 'vitest';
import { defineSystem, SystemDefinitionError, z } from '../../src/index.js';
import type { SystemDefinition } from '../../src/index.js';

const base: SystemDefinition<{ n: number }, object> = {
  id: 'toy',
  meaning: 'a toy',
  controlPlaneNode: 'hub',
  defaultVariant: 'bug',
  variants: [
    { id: 'bug', meaning: 'as upstream shipped it' },
    { id: 'fix', meaning: 'the fix' },
  ],
  invariants: [{ id: 'holds', kind: 'safety', meaning: 'always', check: () => null }],
  clusterSchema: z.strictObject({ n: z.number() }),
  nodes: () => ['hub'],
  faultTargets: () => [],
  build: () => ({ view: {}, applyAction: () => undefined, metrics: () => ({}) }),
};

describe('defineSystem', () => {
  it('fills what a definition may leave out: no actions, no config, variants checked against the list', () => {
    const model = defineSystem(base);
    expect([model.actions, model.config]).toEqual([[], []]);
    expect(model.checkVariant('fix')).toBeNull();
    expect(model.checkVariant('fixed')).toBe("unknown variant 'fixed' (allowed: bug, fix)");
  });

  it.each([
    [{ id: 'Toy' }, /'id' must be a lower-case name/],
    [{ defaultVariant: 'head' }, /'defaultVariant' 'head' is not one of 'variants' \(bug, fix\)/],
    [
      { invariants: [{ id: 'x', kind: 'safety', meaning: 'm' }] },
      /invariant 'x': a safety invariant needs a 'check'/,
    ],
    [
      {
        variants: [
          { id: 'bug', meaning: 'a' },
          { id: 'bug', meaning: 'b' },
        ],
      },
      /'variants' lists 'bug' twice/,
    ],
    [{ clusterSchema: {} }, /'clusterSchema' must be a zod schema/],
  ])('rejects %j, saying what is wrong', (change, message) => {
    expect(() => defineSystem({ ...base, ...change } as never)).toThrow(SystemDefinitionError);
    expect(() => defineSystem({ ...base, ...change } as never)).toThrow(message);
  });
});
