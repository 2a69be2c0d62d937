import { describe, expect, it } from 'vitest';
import { runPlan } from '../../src/run/run-plan.js';
import { compilePlan } from '../../src/scenario/compile.js';
import { parseScenario } from '../../src/scenario/load.js';
import { monitorSendsOn, runAva, violated } from './helpers.js';

describe('ava: E11 a Send that timed out on a stalled (slow but up) stream still delivers', () => {
  it('under fixed T1 reaches A at 12.5s after its 12s timeout, is sent again at the 15s tick, and fires twice', () => {
    // Act
    const fixed = runAva('e11-slow-link-duplicate.yaml', 'fixed');
    // Assert
    const timeout = fixed.notes.find((n) => n.category === 'send' && n.text.includes('timeout after 2000ms'));
    expect((timeout?.atUs ?? 0) / 1e6).toBeCloseTo(12.005, 2);
    const late = fixed.notes.find(
      (n) => n.category === 'send' && n.text.includes('delivered after its Send timed out'),
    );
    expect(late?.atUs).toBe(12_500_000);
    const sends = monitorSendsOn(fixed, 'c1', 'T1'); // the late completion, then the tick's re-send
    expect(sends).toHaveLength(2);
    expect(sends[0]).toBe(12.5);
    expect(sends[1]).toBeCloseTo(15.005, 2);
    expect(violated(fixed)).toEqual(['send-once-per-connection']);
    expect(fixed.metrics['triggerFirings']).toBe(2); // two gocron jobs for the cron task
  });

  it('under pre (no send timeout) nothing is duplicated, and with sendTimeout=0 under fixed the Send waits for the stall', () => {
    // Act
    const pre = runAva('e11-slow-link-duplicate.yaml', 'pre');
    const blocking = runAva('e11-slow-link-duplicate.yaml', 'fixed', { sendTimeout: '0' });
    // Assert
    expect(violated(pre)).toEqual([]);
    expect(monitorSendsOn(blocking, 'c1', 'T1')).toEqual([12.5]);
    // I5 grants a blocking Send no time (sendTimeout 0 → deadline 10s + 1s), so the 2.5s wait shows.
    expect(violated(blocking)).toEqual(['resync-after-reconnect']);
    expect(blocking.metrics['triggerFirings']).toBe(1);
  });
});

describe('ava: NotifyTriggers (AggregateChecksResultWithState)', () => {
  it('E10 under fixed: the lost Cancel lets A run the cancelled T1, which is reloaded and re-streamed after a reconnect', () => {
    // Act
    const fixed = runAva('e10-cancel-lost-resurrection.yaml', 'fixed');
    const head = runAva('e10-cancel-lost-resurrection.yaml', 'head');
    // Assert
    expect(
      fixed.notes.some(
        (n) => n.category === 'task' && n.text.includes('reloaded from the DB (status canceled)'),
      ),
    ).toBe(true);
    expect(fixed.violations.find((v) => v.invariant === 'no-resend-after-delete')?.atMs).toBeCloseTo(
      70_007,
      -1,
    );
    expect(violated(fixed)).toContain('cancel-reaches-monitors');
    expect(head.metrics['tasksReloaded']).toBe(0);
    expect(violated(head)).toEqual([]);
  });

  it("E5 under fixed: the loser's NotifyTriggers marks T2 synced for the shared address, so the winner never gets it", () => {
    // Act
    const fixed = runAva('s5-shared-address.yaml', 'fixed');
    // Assert
    expect(monitorSendsOn(fixed, 'c2', 'T1')).toHaveLength(1);
    expect(monitorSendsOn(fixed, 'c2', 'T2')).toEqual([]);
    const resync = fixed.violations.find((v) => v.invariant === 'resync-after-reconnect');
    expect(resync?.message).toContain('task T2 was not sent');
  });
});

describe('ava: resync-after-reconnect judges owners at the first send opportunity', () => {
  it("does not flag head when a task is reassigned to A by another cleanup after A's immediate send (fuzz seed 167)", () => {
    // Act
    const head = runAva('fuzz.yaml', 'head', { triggerInterval: '0' }, 167);
    // Assert: T3 went to C3 in c2's own body at ~10s and was moved to A by c3's cleanup at ~12s.
    expect(
      head.notes.some(
        (n) =>
          n.category === 'assign' &&
          n.text.includes('task T3 → operator 0xA1') &&
          n.atUs > 12_000_000 &&
          n.atUs < 12_100_000,
      ),
    ).toBe(true);
    expect(violated(head)).not.toContain('resync-after-reconnect');
  });

  it('still flags a connection whose own body left a due task unsent (BUG3 under fixed with reclaim=none)', () => {
    // Act
    const buggy = runAva('bug3-reclaim.yaml', 'fixed', { reclaim: 'none' });
    // Assert
    expect(buggy.violations.find((v) => v.invariant === 'resync-after-reconnect')?.atMs).toBeCloseTo(
      33_002,
      -1,
    );
  });
});

describe('ava: E6 two first connects of one address in the same instant', () => {
  it('under fixed both find no state and two tickers run; with the check under the lock c2 cancels c1', () => {
    // Act
    const unlocked = runAva('e6-simultaneous-first-connect.yaml', 'fixed');
    const locked = runAva('e6-simultaneous-first-connect.yaml', 'fixed', {
      unlockedFirstConnectCheck: 'false',
    });
    // Assert: the overwrite is told, I1 breaks at the connect, and T1 goes only to c1.
    expect(
      unlocked.notes.some(
        (n) =>
          n.category === 'connect' &&
          n.text.includes("c2 also found no state and overwrites it (c1's ticker is not cancelled)"),
      ),
    ).toBe(true);
    expect(unlocked.violations.find((v) => v.invariant === 'single-ticker')?.atMs).toBeCloseTo(5, 0);
    expect(monitorSendsOn(unlocked, 'c1', 'T1')).toHaveLength(1);
    expect(monitorSendsOn(unlocked, 'c2', 'T1')).toEqual([]);
    expect(violated(locked)).not.toContain('single-ticker');
    expect(
      locked.notes.some((n) => n.text.includes('Canceling old ticker for reconnected operator 0xA1 (c1)')),
    ).toBe(true);
  });

  it("under head (ava errata 2) the cooldown spares first connects: green's, in the same instant, is accepted and cancels c1", () => {
    // Act
    const head = runAva('e6-simultaneous-first-connect.yaml', 'head');
    // Assert: both first connects accepted at 5ms, c2 cancels c1 as any reconnect does.
    const at5ms = head.notes.filter((n) => n.atUs === 5000 && n.category === 'connect').map((n) => n.text);
    expect(at5ms.some((t) => t.includes('New operator connected with capabilities: 0xA1 on c1'))).toBe(true);
    expect(at5ms.some((t) => t.includes('reconnected operator 0xA1 on c2'))).toBe(true);
    expect(at5ms.some((t) => t.includes('ResourceExhausted'))).toBe(false);
    expect(violated(head)).not.toContain('single-ticker');
    // The address now has state: blue's redial 1s later is within 5s of c2 and is rejected.
    const rejected = head.notes.find((n) => n.text.includes('rejected: ResourceExhausted (cooldown)'));
    expect((rejected?.atUs ?? 0) / 1e6).toBeGreaterThan(1);
    expect((rejected?.atUs ?? 0) / 1e6).toBeLessThan(1.3);
  });
});

describe("ava: I6 (live-owner) covers every task in the aggregator's memory", () => {
  it('flags a deleted task still in memory (E9) whose owner is half-open (E3) while B could run it', () => {
    // Arrange: A takes T1, A's transport goes half-open at 15s, the user deletes T1 at 20s.
    const scenario = parseScenario(
      [
        'name: i6-deleted-task',
        'system: ava',
        'duration: 60s',
        'cluster:',
        '  operators:',
        '    - { address: "0xA1", approved: true }',
        '    - { address: "0xB2", approved: true, connectAt: 2s }',
        '  tasks:',
        '    - { id: T1, trigger: event }',
        'timeline:',
        '  - at: 15s',
        '    drop: "0xA1"',
        '  - at: 20s',
        '    delete-task: T1',
        '',
      ].join('\n'),
      'i6.yaml',
    );
    // Act
    const run = runPlan(compilePlan(scenario, { variant: 'fixed' }));
    // Assert: the DB says T1 is gone, but the aggregator still holds it, owned by a dead peer.
    const liveOwner = run.violations.find((v) => v.invariant === 'live-owner');
    expect(liveOwner?.atMs).toBeCloseTo(30_000, -2);
    expect(liveOwner?.message).toMatch(/task T1 has been assigned to operator 0xA1, which is not live/);
  });
});

describe('ava: E12 a SIGTERM (deploy) of the aggregator', () => {
  it('makes a handler that ticks before the exit return nil: the FIXED-era operator reads EOF and never dials again', () => {
    // Act
    const fixed = runAva('e12-sigterm.yaml', 'fixed');
    const head = runAva('e12-sigterm.yaml', 'head');
    // Assert
    const dials = (run: ReturnType<typeof runAva>): number[] =>
      run.notes
        .filter((n) => n.category === 'operator' && n.text.includes('dials SyncMessages'))
        .map((n) => n.atUs / 1e6);
    expect(
      fixed.notes.some((n) =>
        n.text.includes('handler c1 of operator 0xA1 exits (returns nil): aggregator shutting down'),
      ),
    ).toBe(true);
    expect(
      fixed.notes.some((n) =>
        n.text.includes('got io.EOF: its stream goroutine returns and never reconnects'),
      ),
    ).toBe(true);
    expect(
      fixed.notes.find((n) => n.text.startsWith('SIGTERM: the DB is closed and the process exits'))?.atUs,
    ).toBe(65_000_000);
    expect(dials(fixed)).toEqual([0]);
    expect(monitorSendsOn(fixed, 'c2', 'T2')).toEqual([]);
    expect(head.notes.some((n) => n.text.includes('aggregator shutting down'))).toBe(false);
  });

  it('under head (ava errata 1) Stop() cancels every handler at once: A reads EOF at 60s and redials after its ~1s backoff, not 60s later', () => {
    // Act
    const head = runAva('e12-sigterm.yaml', 'head');
    // Assert: c1 returns nil at the SIGTERM itself, not at a tick (its next is 15 min away).
    const exit = head.notes.find((n) => n.text.startsWith('handler c1 of operator 0xA1 exits (returns nil)'));
    expect(exit?.atUs).toBe(60_000_000);
    expect(exit?.text).toContain('Ticker context canceled');
    const backoff = head.notes.find((n) => n.text.includes('got EOF; backing off'));
    expect((backoff?.atUs ?? 0) / 1e6).toBeCloseTo(60.002, 3);
    const dials = head.notes
      .filter((n) => n.category === 'operator' && n.text.includes('dials SyncMessages'))
      .map((n) => n.atUs / 1e6);
    expect(dials).toHaveLength(3);
    expect(dials[0]).toBe(0);
    // 1s base backoff plus at most 25 % jitter, after the EOF arrives.
    expect(dials[1]).toBeGreaterThanOrEqual(61);
    expect(dials[1]).toBeLessThanOrEqual(61.26);
    // The stopping process still accepts it (nothing at connect reads shutdown), and Stop() then
    // waits for c2 (streamsWG): at 65s the process has not exited. The restart at 70s kills it,
    // which resets the socket, and A's next dial is the 60s retry after a reset.
    const waiting = head.notes.find((n) => n.text.includes('Stop() still waits for c2'));
    expect(waiting?.atUs).toBe(65_000_000);
    expect(dials[2]).toBe(130);
    expect(monitorSendsOn(head, 'c3', 'T2')).toHaveLength(1);
  });

  it("under head Stop() waits for every handler (streamsWG): the process exits only after the redial's handler returns, whose operator reads EOF", () => {
    // Arrange: e12 without the restart; A redials ~1s after the SIGTERM and the stopping process accepts.
    const scenario = parseScenario(
      [
        'name: e12-no-restart',
        'system: ava',
        'duration: 100s',
        'config: { shutdownWindow: 5s }',
        'cluster:',
        '  operators:',
        '    - { address: "0xA1", approved: true }',
        '  tasks:',
        '    - { id: T1, trigger: event }',
        'timeline:',
        '  - { at: 60s, sigterm: aggregator }',
      ].join('\n'),
      'e12-no-restart.yaml',
    );
    // Act
    const run = runPlan(compilePlan(scenario, { variant: 'head' }));
    // Assert: c2 returns at its immediate send (10s after its connect), seeing shutdown; only then
    // does the process exit, and A got end-of-stream (a backoff), not a reset.
    const at = (text: string): number => (run.notes.find((n) => n.text.includes(text))?.atUs ?? 0) / 1e6;
    const c2Returned = at('handler c2 of operator 0xA1 exits (returns nil): aggregator shutting down');
    expect(c2Returned).toBeGreaterThan(71);
    expect(c2Returned).toBeLessThan(71.3);
    const exited = at('SIGTERM: the DB is closed and the process exits');
    expect(exited).toBeGreaterThan(c2Returned);
    expect(exited - c2Returned).toBeLessThan(0.1);
    const backoffs = run.notes
      .filter((n) => n.text.includes('got EOF; backing off'))
      .map((n) => n.atUs / 1e6);
    expect(backoffs).toHaveLength(2);
    expect(backoffs[1]).toBeGreaterThan(c2Returned);
    expect(backoffs[1]).toBeLessThan(exited);
  });

  it('under fixed with stopCancelsHandlers on, the operator reads EOF at once and (FIXED era) stops for good', () => {
    // Act
    const run = runAva('e12-sigterm.yaml', 'fixed', { stopCancelsHandlers: 'true' });
    // Assert
    const exit = run.notes.find((n) => n.text.startsWith('handler c1 of operator 0xA1 exits (returns nil)'));
    expect(exit?.atUs).toBe(60_000_000);
  });
});
