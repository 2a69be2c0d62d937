import { describe, expect, it } from 'vitest';
import { monitorSendsOn, runAva, violated } from './helpers.js';

describe('ava: the four fixed bugs, each shown by its switch', () => {
  it('S1 under fixed: T1 is sent again on the new connection c2 at about 30s (reclaim after E1)', () => {
    // Act
    const fixed = runAva('s1-silent-drop-reconnect.yaml', 'fixed');
    const pre = runAva('s1-silent-drop-reconnect.yaml', 'pre');
    // Assert
    const sends = monitorSendsOn(fixed, 'c2', 'T1');
    expect(sends).toHaveLength(1);
    expect(sends[0]).toBeGreaterThanOrEqual(30);
    expect(sends[0]).toBeLessThan(30.1);
    expect(
      fixed.notes.some(
        (n) => n.category === 'reclaim' && n.text.includes('"previous_assignment": "no_assignment"'),
      ),
    ).toBe(true);
    expect(monitorSendsOn(pre, 'c2', 'T1')).toEqual([]);
  });

  it('S2 under pre: T1 is never sent on the same-clock reconnect; under fixed it is', () => {
    // Act
    const pre = runAva('s2-same-clock.yaml', 'pre');
    const fixed = runAva('s2-same-clock.yaml', 'fixed');
    // Assert
    expect(monitorSendsOn(pre, 'c2', 'T1')).toEqual([]);
    expect(violated(pre)).toContain('resync-after-reconnect');
    expect(monitorSendsOn(fixed, 'c2', 'T1')).toHaveLength(1);
    expect(violated(fixed)).not.toContain('resync-after-reconnect');
  });

  it('BUG1 tickerCtx=false leaves two tickers for one address; the ticker ctx does not', () => {
    // Act
    const buggy = runAva('bug1-ticker-ctx.yaml', 'fixed', { tickerCtx: 'false' });
    const fixed = runAva('bug1-ticker-ctx.yaml', 'fixed');
    // Assert
    expect(violated(buggy)).toContain('single-ticker');
    expect(buggy.violations.find((v) => v.invariant === 'single-ticker')?.atMs).toBeCloseTo(8008, -1);
    expect(violated(fixed)).not.toContain('single-ticker');
  });

  it("BUG1 under pre: c1 fails its send, deletes c2's stream, and the restarted process never gets T1", () => {
    // Act
    const pre = runAva('bug1-ticker-ctx.yaml', 'pre');
    // Assert
    expect(
      pre.notes.some((n) => n.category === 'stream' && n.text.includes('which was the newer connection c2')),
    ).toBe(true);
    expect(monitorSendsOn(pre, 'c2', 'T1')).toEqual([]);
    expect(violated(pre)).toEqual(
      expect.arrayContaining(['resync-after-reconnect', 'single-ticker', 'stream-is-newest']),
    );
  });

  it('BUG2 clockReset=false keeps T1 "already synced" after a same-clock reconnect of a new process', () => {
    // Act
    const buggy = runAva('bug2-clock-reset.yaml', 'fixed', { clockReset: 'false' });
    const fixed = runAva('bug2-clock-reset.yaml', 'fixed');
    // Assert
    expect(monitorSendsOn(buggy, 'c2', 'T1')).toEqual([]);
    expect(violated(buggy)).toContain('resync-after-reconnect');
    expect(monitorSendsOn(fixed, 'c2', 'T1')).toHaveLength(1);
    expect(violated(fixed)).not.toContain('resync-after-reconnect');
  });

  it('BUG3 reclaim=none: c2 finds no eligible operator (E1) and never streams T1', () => {
    // Act
    const buggy = runAva('bug3-reclaim.yaml', 'fixed', { reclaim: 'none' });
    // Assert
    expect(monitorSendsOn(buggy, 'c2', 'T1')).toEqual([]);
    expect(violated(buggy)).toContain('resync-after-reconnect');
  });

  it('BUG4 reclaim+override: the reclaim is overridden by an empty round-robin, T1 never streamed', () => {
    // Act
    const buggy = runAva('bug4-no-override.yaml', 'fixed', { reclaim: 'reclaim+override' });
    const fixed = runAva('bug4-no-override.yaml', 'fixed');
    // Assert
    expect(
      buggy.notes.filter((n) => n.category === 'reclaim' && n.entities['connection'] === 'c2').length,
    ).toBeGreaterThan(1);
    expect(monitorSendsOn(buggy, 'c2', 'T1')).toEqual([]);
    expect(violated(buggy)).toContain('resync-after-reconnect');
    expect(monitorSendsOn(fixed, 'c2', 'T1')).toHaveLength(1);
  });
});
