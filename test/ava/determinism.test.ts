import { describe, expect, it } from 'vitest';
import { avaModel } from '../../src/systems/ava/index.js';
import { runAva } from './helpers.js';

describe('ava: determinism and input checks', () => {
  it('the same scenario, variant and seed give the same trace hash and violations', () => {
    // Act
    const first = runAva('fuzz.yaml', 'fixed');
    const second = runAva('fuzz.yaml', 'fixed');
    // Assert
    expect(second.traceHash).toBe(first.traceHash);
    expect(second.violations).toEqual(first.violations);
    expect(second.events).toBe(first.events);
  });

  it('another seed draws other faults (and so another trace)', () => {
    // Act
    const a = runAva('fuzz.yaml', 'fixed', {}, 5);
    const b = runAva('fuzz.yaml', 'fixed', {}, 6);
    // Assert
    expect(a.traceHash).not.toBe(b.traceHash);
  });

  it('rejects unknown cluster keys and unknown variants', () => {
    // Act
    const bad = avaModel.clusterSchema.safeParse({ operators: [{ address: '0xA1', aproved: true }] });
    // Assert
    expect(bad.success).toBe(false);
    expect(avaModel.checkVariant('fixed')).toBeNull();
    expect(avaModel.checkVariant('fixd')).toContain('pre, fixed, head');
  });

  it('a drawn drop becomes a half-open drop and a later reconnect', () => {
    // Act
    const steps = avaModel.dropSteps?.('0xA1', 1000, 5000) ?? [];
    // Assert
    expect(steps.map((s) => [s.atMs, s.action])).toEqual([
      [1000, 'drop'],
      [6000, 'connect'],
    ]);
  });
});
