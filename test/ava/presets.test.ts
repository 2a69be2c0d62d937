import { describe, expect, it } from 'vitest';
import { compilePlan } from '../../src/scenario/compile.js';
import { loadScenario } from '../../src/scenario/load.js';
import { planToScenario } from '../../src/scenario/write.js';
import { AVA_SCENARIOS, runAva, violated } from './helpers.js';

describe('ava presets', () => {
  it('should let --set override a preset switch, even back to its fixed value', () => {
    // Arrange
    const scenario = loadScenario(`${AVA_SCENARIOS}/bug1-ticker-ctx.yaml`);
    // Act
    const pre = compilePlan(scenario, { variant: 'pre' });
    const preWithCtx = compilePlan(scenario, { variant: 'pre', set: { tickerCtx: 'true' } });
    // Assert
    expect(pre.config['tickerCtx']).toBe(false);
    expect(preWithCtx.config['tickerCtx']).toBe(true);
  });

  it('should fix BUG1 under pre when only the tickerCtx switch is set to its fixed value', () => {
    // Act
    const buggy = runAva('bug1-ticker-ctx.yaml', 'pre');
    const switched = runAva('bug1-ticker-ctx.yaml', 'pre', { tickerCtx: 'true' });
    // Assert
    expect(violated(buggy)).toContain('single-ticker');
    expect(violated(switched)).not.toContain('single-ticker');
  });

  it('should write into a repro only the values that differ from the variant preset', () => {
    // Arrange
    const plan = compilePlan(loadScenario(`${AVA_SCENARIOS}/bug1-ticker-ctx.yaml`), {
      variant: 'head',
      set: { sendTimeout: '1s' },
    });
    // Act
    const repro = planToScenario(plan);
    // Assert: head's own switches stay implied by `variant: head`.
    expect(repro.config).toEqual({ sendTimeout: 1000 });
  });
});
