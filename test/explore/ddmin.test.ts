import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ddmin } from '../../src/explore/ddmin.js';

describe('ddmin', () => {
  it('should find exactly the failure-inducing items when the failure needs all of them', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.uniqueArray(fc.nat(59), { minLength: 1, maxLength: 5 }),
        (size, wanted) => {
          // Arrange
          const items = Array.from({ length: size }, (_, i) => i);
          const needed = wanted.filter((w) => w < size);
          fc.pre(needed.length > 0);
          const fails = (subset: number[]): boolean => needed.every((n) => subset.includes(n));
          // Act
          const result = ddmin(items, fails);
          // Assert
          expect(result.items).toEqual([...needed].sort((a, b) => a - b));
          expect(result.minimal).toBe(true);
        },
      ),
    );
  });

  it('should return a 1-minimal subset that still fails for a non-monotone predicate', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 60 }),
        (weights, threshold) => {
          // Arrange: fails when the kept weights sum to at least the threshold but not to a multiple of 7.
          const fails = (subset: number[]): boolean => {
            const sum = subset.reduce((a, b) => a + b, 0);
            return sum >= threshold && sum % 7 !== 0;
          };
          fc.pre(fails(weights));
          // Act
          const result = ddmin(weights, fails);
          // Assert: still fails, and no single item can be removed while it still fails.
          expect(fails(result.items)).toBe(true);
          for (let k = 0; k < result.items.length; k++) {
            expect(fails(result.items.filter((_, j) => j !== k))).toBe(false);
          }
        },
      ),
    );
  });

  it('should keep the order of the items it keeps', () => {
    // Arrange
    const items = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const fails = (subset: string[]): boolean =>
      subset.indexOf('f') > subset.indexOf('b') && subset.includes('b');
    // Act
    const result = ddmin(items, fails);
    // Assert
    expect(result.items).toEqual(['b', 'f']);
  });

  it('should never test the same subset twice and stop at its test budget', () => {
    // Arrange
    const seen = new Set<string>();
    let repeats = 0;
    const fails = (subset: number[]): boolean => {
      const key = subset.join(',');
      if (seen.has(key)) repeats++;
      seen.add(key);
      return subset.includes(3) && subset.includes(17);
    };
    // Act
    const unlimited = ddmin(
      Array.from({ length: 32 }, (_, i) => i),
      fails,
    );
    const limited = ddmin(
      Array.from({ length: 32 }, (_, i) => i),
      (s) => s.includes(3) && s.includes(17),
      { testsMax: 3 },
    );
    // Assert
    expect(unlimited.items).toEqual([3, 17]);
    expect(repeats).toBe(0);
    expect(limited.tests).toBe(3);
    expect(limited.minimal).toBe(false);
  });
});
