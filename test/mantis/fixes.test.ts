import { describe, expect, it } from 'vitest';
import type { Note } from '../../src/engine/index.js';
import type { RunResult } from '../../src/run/result.js';
import { simulate } from '../../src/run/simulate.js';
import { loadScenario, parseScenario } from '../../src/scenario/load.js';

const violation = (run: RunResult, id: string) => run.violations.find((v) => v.invariant === id);
const notesOf = (run: RunResult, category: string, text: string): Note[] =>
  run.notes.filter((n) => n.category === category && n.text.includes(text));
const firstAtS = (run: RunResult, category: string, text: string): number | undefined => {
  const note = notesOf(run, category, text)[0];
  return note === undefined ? undefined : note.atUs / 1_000_000;
};
type MantisMetrics = {
  notificationMessages: { byType: Record<string, number>; total: number };
  recyclingDelayMs: { perRestart: number[] };
};
const mantis = (run: RunResult) => run.metrics.mantis as MantisMetrics;

/** Jobs A and C share job cluster `shared`; B has its own. TE-1 (A-1-0) segfaults and returns. */
const sharedCluster = parseScenario(
  `name: shared-cluster
system: mantis
duration: 6m
config:
  workerTimeout: 120s
cluster:
  executors: 6
  jobs:
    - { id: A, cluster: shared, stages: [1, 1], placement: [[TE-1], [TE-2]] }
    - { id: C, cluster: shared, stages: [1], placement: [[TE-3]] }
    - { id: B, stages: [2], placement: [[TE-4, TE-5]] }
timeline:
  - { at: 2m5s, crash: TE-1 }
  - { at: 3m5s, restart: TE-1 }
`,
  'shared-cluster.yaml',
);

describe('fix-2 (quarantine)', () => {
  it('pools a TE restarted while Running only when the quarantine expires', () => {
    // Arrange: report.yaml, TE-1 back at 3m05s.
    const report = loadScenario('scenarios/mantis/report.yaml');
    // Act
    const byDefault = simulate(report, { variant: 'fix-2' });
    const shorter = simulate(report, { variant: 'fix-2', set: { quarantine: '60s' } });
    // Assert: Quarantined at 3m05s, in the pool exactly Q later, not before.
    expect(firstAtS(byDefault, 'rc-state', 'TE-1: Running(A-1-0) → Quarantined')).toBeCloseTo(185, 0);
    expect(firstAtS(byDefault, 'pool', 'TE-1 is in the available pool')).toBeLessThan(1); // the first registration is not quarantined
    const pooled = notesOf(byDefault, 'pool', 'TE-1 is in the available pool').map((n) => n.atUs / 1_000_000);
    expect(pooled[1]).toBeCloseTo(485, 0);
    expect(mantis(byDefault).recyclingDelayMs.perRestart).toEqual([expect.closeTo(300_000, -1)]);
    expect(mantis(shorter).recyclingDelayMs.perRestart).toEqual([expect.closeTo(60_000, -1)]);
  });

  it('also quarantines a fresh state re-registered for a TE id the store knows (after the archive)', () => {
    // Arrange: edge-02, the RC times TE-1 out and archives it before TE-1 returns at 7m10s.
    const scenario = loadScenario('scenarios/mantis/edge-02-disconnect-then-reconnect.yaml');
    // Act
    const run = simulate(scenario, { variant: 'fix-2' });
    // Assert: unknown → Quarantined, never pooled within the 11 minutes, so B-1-1 never lands there.
    expect(firstAtS(run, 'rc-state', 'TE-1: unknown → Quarantined')).toBeCloseTo(430, 0);
    expect(notesOf(run, 'pool', 'TE-1 is in the available pool').every((n) => n.atUs < 1_000_000)).toBe(true);
    expect(violation(run, 'no-foreign-read')).toBeUndefined();
    // The as-is code pools the same fresh state at once.
    const asIs = notesOf(simulate(scenario, { variant: 'as-is' }), 'rc-state', 'TE-1: unknown → Pending').map(
      (n) => n.atUs / 1_000_000,
    );
    expect(asIs[1]).toBeCloseTo(430, 0);
  });
});

describe('notification fixes: messages per reconnection', () => {
  it("fix-1b sends one message per active job of the previous worker's cluster per reconnection", () => {
    const run = simulate(sharedCluster, { variant: 'fix-1b' });
    expect(mantis(run).notificationMessages.byType).toEqual({ TaskExecutorReconnected: 2 }); // A and C, not B
    expect(notesOf(run, 'job', 'TaskExecutorReconnected(TE-1): fail A-1-0')).toHaveLength(1);
    expect(notesOf(run, 'job', 'TaskExecutorReconnected(TE-1): no worker of this job there')).toHaveLength(1); // C
    expect(violation(run, 'no-foreign-read')).toBeUndefined();
  });

  it('the naive broadcast reaches every active job of every cluster', () => {
    const run = simulate(sharedCluster, { variant: 'broadcast' });
    expect(mantis(run).notificationMessages.byType).toEqual({ TaskExecutorReconnected: 3 });
  });

  it('counts a notification dropped on the way (JobClustersManager initialising) for no fix, alike (edge-04)', () => {
    const scenario = loadScenario('scenarios/mantis/edge-04-lost-notification.yaml');
    for (const variant of ['fix-1a-merged', 'broadcast', 'fix-1a-correct']) {
      const run = simulate(scenario, { variant });
      expect(notesOf(run, 'router', 'dropped').length, variant).toBeGreaterThan(0);
      expect(mantis(run).notificationMessages.byType, variant).toEqual({});
    }
  });

  it('fix-1a-merged sends exactly one WorkerTerminate, to the job that had the worker', () => {
    const run = simulate(sharedCluster, { variant: 'fix-1a-merged' });
    expect(mantis(run).notificationMessages.byType).toEqual({ WorkerTerminate: 1 });
  });

  it('after a failover without re-initialisation (head) every TE reconnects: the naive broadcast costs #TE × #jobs, and no job fails a worker its TE still runs', () => {
    // Arrange: edge-07 with a JobClustersManager that is ready at once (nothing dropped).
    const scenario = loadScenario('scenarios/mantis/edge-07-failover.yaml');
    // Act
    const run = simulate(scenario, { variant: 'head+broadcast', set: { jcmInitDuration: '0s' } });
    // Assert: 5 TEs × 2 jobs; only A-1-0 (dead with TE-1) is failed by it.
    expect(mantis(run).notificationMessages.byType).toEqual({ TaskExecutorReconnected: 10 });
    const failed = notesOf(run, 'job', 'TaskExecutorReconnected(').filter((n) => n.text.includes(': fail '));
    expect(failed.map((n) => n.text)).toEqual(['TaskExecutorReconnected(TE-1): fail A-1-0']);
    expect(violation(run, 'no-foreign-read')).toBeUndefined();
  });

  it('with the legacy re-initialisation only TE-1 reconnects after a failover: the broadcast costs #jobs', () => {
    const run = simulate(loadScenario('scenarios/mantis/edge-07-failover.yaml'), {
      variant: 'broadcast',
      set: { jcmInitDuration: '0s' },
    });
    expect(mantis(run).notificationMessages.byType).toEqual({ TaskExecutorReconnected: 2 });
    expect(violation(run, 'no-foreign-read')).toBeUndefined();
  });

  it('fix-1c survives a failover without re-initialisation (head) through its persisted index with one targeted message', () => {
    const run = simulate(loadScenario('scenarios/mantis/edge-07-failover.yaml'), {
      variant: 'head+fix-1c',
      set: { jcmInitDuration: '0s' },
    });
    expect(mantis(run).notificationMessages.byType).toEqual({ TaskExecutorReconnected: 1 });
    expect(violation(run, 'no-foreign-read')).toBeUndefined();
  });
});

describe("fix-1a-correct (the spec's 1A-correct)", () => {
  it('pools a restarted TE only after the job has failed its worker and pushed, so B never gets it first (edge-03)', () => {
    // Act
    const scenario = loadScenario('scenarios/mantis/edge-03-race.yaml');
    const merged = simulate(scenario, { variant: 'fix-1a-merged' });
    const correct = simulate(scenario, { variant: 'fix-1a-correct' });
    // Assert: FIX784 pools TE-1 in the turn it sends WorkerTerminate, and B reads-races A's push;
    // 1A-correct pools it only on A's ack, which follows A's push without TE-1.
    expect(violation(merged, 'no-foreign-read')).toBeDefined();
    expect(violation(correct, 'no-foreign-read')).toBeUndefined();
    const sent = firstAtS(
      correct,
      'detection',
      'TE-1 is poolable after A-1-0: WorkerTerminate(A-1-0, Failed, Lost); pooled when the job acks',
    );
    const pushed = correct.notes.find(
      (n) =>
        n.category === 'push' &&
        n.text.startsWith('JobSchedulingInfo of A') &&
        !n.text.includes('TE-1') &&
        sent !== undefined &&
        n.atUs / 1e6 >= sent,
    );
    const pooled = firstAtS(correct, 'pool', 'job acked WorkerTerminate(A-1-0) for TE-1');
    expect(sent).toBeDefined();
    expect(pushed).toBeDefined();
    expect(pooled).toBeGreaterThanOrEqual((pushed?.atUs ?? Infinity) / 1e6);
  });

  it('remembers the last worker of a TE across the archive, where FIX784 has nothing to report (edge-02)', () => {
    const scenario = loadScenario('scenarios/mantis/edge-02-disconnect-then-reconnect.yaml');
    expect(violation(simulate(scenario, { variant: 'fix-1a-merged' }), 'no-foreign-read')).toBeDefined();
    const correct = simulate(scenario, { variant: 'fix-1a-correct' });
    expect(correct.violations).toEqual([]);
    expect(mantis(correct).notificationMessages.byType).toEqual({ WorkerTerminate: 1 });
  });

  it('still names the worker when a TE whose WorkerTerminate was lost is archived and comes back', () => {
    // Arrange: edge-04 (the event is dropped while the JobClustersManager initialises), then the
    // operator shuts the stuck TE-1 down (archive) and starts it again.
    const scenario = parseScenario(
      [
        'name: lost-then-archived',
        'system: mantis',
        'duration: 12m',
        'config: { workerTimeout: 120s }',
        'cluster:',
        '  executors: 5',
        '  jobs:',
        '    - { id: A, stages: [2, 2], placement: [[TE-1, TE-2], [TE-3, TE-4]] }',
        '    - { id: B, stages: [2], placement: [[TE-5]] }',
        'timeline:',
        '  - { at: 2m5s, crash: TE-1 }',
        '  - { at: 3m, jcm-initializing: 20s }',
        '  - { at: 3m5s, restart: TE-1 }',
        '  - { at: 3m40s, shutdown: TE-1 }',
        '  - { at: 3m45s, restart: TE-1 }',
        '',
      ].join('\n'),
      'lost-then-archived.yaml',
    );
    // Act
    const run = simulate(scenario, { variant: 'fix-1a-correct' });
    // Assert: the fresh state's return sends WorkerTerminate(A-1-0) again and waits for A's ack.
    expect(notesOf(run, 'detection', 'TE-1 is poolable after A-1-0')).toHaveLength(2);
    expect(violation(run, 'no-foreign-read')).toBeUndefined();
    expect(mantis(run).notificationMessages.byType).toEqual({ WorkerTerminate: 1 }); // the first was dropped
  });

  it('sends one WorkerTerminate whatever it is combined with, at once even when fix-2 quarantines the TE', () => {
    const report = loadScenario('scenarios/mantis/report.yaml');
    for (const variant of [
      'fix-1a-correct+fix-2',
      'head+fix-1a-correct',
      'fix-1a-merged+fix-1a-correct',
      'fix-1a-merged+fix-1a-correct+fix-2',
      'head+fix-1a-correct+fix-2',
    ]) {
      const run = simulate(report, { variant });
      expect(mantis(run).notificationMessages.byType, variant).toEqual({ WorkerTerminate: 1 });
      expect(run.violations, variant).toEqual([]);
    }
    // With fix-2 the job hears at TE-1's return (3m05s) and the TE is pooled when the quarantine ends.
    const quarantined = simulate(report, { variant: 'fix-1a-correct+fix-2' });
    expect(firstAtS(quarantined, 'detection', 'TE-1 is poolable after A-1-0')).toBeCloseTo(185, 0);
    const left = firstAtS(quarantined, 'quarantine', 'TE-1 leaves quarantine') as number;
    expect(left).toBeCloseTo(485, 0);
    expect(
      notesOf(quarantined, 'pool', 'TE-1 is in the available pool')
        .map((n) => n.atUs / 1e6)
        .filter((t) => t > 60),
    ).toEqual([left]);
  });

  it('keeps a TE whose WorkerTerminate was lost out of the pool for good: safe, but a capacity leak (edge-04)', () => {
    const run = simulate(loadScenario('scenarios/mantis/edge-04-lost-notification.yaml'), {
      variant: 'fix-1a-correct',
    });
    expect(violation(run, 'no-foreign-read')).toBeUndefined();
    expect(violation(run, 'executor-returns-to-pool')?.message).toMatch(
      /TE-1 has been idle since .* but is not in the available pool/,
    );
  });
});

describe('head (upstream HEAD: the reservation scheduler)', () => {
  it('keeps a TE that crashed while Assigned stuck for good, where the PRE826 timer pools it again (edge-01)', () => {
    const scenario = loadScenario('scenarios/mantis/edge-01-assigned-crash.yaml');
    const head = simulate(scenario, { variant: 'head' });
    const merged = simulate(scenario, { variant: 'fix-1a-merged' });
    // PRE826's assignment timeout returns TE-1 to the pool; HEAD has no such timer.
    expect(notesOf(merged, 'rc-state', 'TE-1: Assigned(B-1-0) → Pending (assignment timeout')).toHaveLength(
      1,
    );
    expect(notesOf(head, 'rc-state', 'TE-1: Assigned(B-1-0) → Pending')).toEqual([]);
    expect(violation(head, 'executor-returns-to-pool')?.message).toMatch(/TE-1/);
    expect(violation(merged, 'executor-returns-to-pool')).toBeUndefined();
  });

  it('fails the launch after 3 submitTask attempts, even once the TE has been archived meanwhile', () => {
    // Arrange: TE-1 is cut off right after it registered; A-1-0, pinned to it, is assigned at the
    // 2s tick; the RC archives TE-1 at ~20s (heartbeat timeout 20s) while the attempts go on.
    const scenario = parseScenario(
      [
        'name: head-fail-archived',
        'system: mantis',
        'duration: 2m',
        'config: { assignmentTimeout: 10s, rcHeartbeatTimeout: 20s }',
        'cluster:',
        '  executors: 2',
        '  jobs:',
        '    - { id: A, stages: [1], placement: [[TE-1]] }',
        'timeline:',
        '  - { at: 500ms, partition: [TE-1] }',
        '',
      ].join('\n'),
      'head-fail-archived.yaml',
    );
    // Act
    const run = simulate(scenario, { variant: 'head' });
    // Assert: attempts at 2s, 22s, 42s, each timing out after 10s; then the job hears at once.
    expect(firstAtS(run, 'disconnection', 'TE-1 disconnected')).toBeLessThan(22);
    expect(firstAtS(run, 'assignment', '3 attempts failed; WorkerLaunchFailed(A-1-0)')).toBeCloseTo(52, 0);
    expect(firstAtS(run, 'job', 'WorkerLaunchFailed: A-1-0 Failed')).toBeCloseTo(52, 1);
    expect(firstAtS(run, 'assignment', "A-1-0' assigned to TE-2")).toBeCloseTo(53, 0);
  });

  it('routes WorkerLaunched at assignment and places a pending worker at the next 1 s tick, not 60 s later', () => {
    const run = simulate(loadScenario('scenarios/mantis/report.yaml'), { variant: 'head' });
    const assigned = firstAtS(run, 'assignment', 'B-1-1 assigned to TE-1');
    const pooled = notesOf(run, 'pool', 'TE-1 is in the available pool')
      .map((n) => n.atUs / 1e6)
      .find((t) => t > 180);
    const launched = firstAtS(run, 'job', 'WorkerLaunched: B-1-1 on TE-1');
    // TE-1 is pooled again at 3m05s; B-1-1, pending since its first NoResourceAvailable, takes it
    // at the next registry tick (the legacy scheduler waited for its 60 s retry, at 4m01s).
    expect(assigned).toBeGreaterThan(185);
    expect(assigned).toBeLessThanOrEqual(186);
    expect(Number.isInteger(assigned)).toBe(true);
    expect(pooled).toBeCloseTo(185, 0);
    expect(pooled).toBeLessThan(assigned as number);
    expect((launched as number) - (assigned as number)).toBeLessThan(0.1); // before the TE has even replied
    expect(run.violations).toEqual([]);
  });
});

describe('fix-1a as first written', () => {
  it('stays silent even when a registration follows a noticed disconnection: the archived previousWorkerId is lost', () => {
    // Arrange: TE-1 shuts down gracefully (disconnection → archive); a fresh container with the
    // same id (no "already registered" file) registers at 1m.
    const scenario = parseScenario(
      `name: fix-1a-archive
system: mantis
duration: 4m
cluster:
  executors: [TE-0, TE-1, TE-2, { name: TE-1b, id: TE-1 }]
  jobs:
    - { id: A, stages: [1, 1], placement: [[TE-1], [TE-2]] }
timeline:
  - { at: 0s, crash: TE-1b }
  - { at: 30s, shutdown: TE-1 }
  - { at: 1m, restart: TE-1b }
`,
      'fix-1a-archive.yaml',
    );
    // Act
    const run = simulate(scenario, { variant: 'fix-1a' });
    // Assert: the registration path ran on a fresh state, and no TaskExecutorReconnectedEvent left.
    expect(
      notesOf(
        run,
        'disconnection',
        'TE-1 disconnected (TaskExecutorDisconnection); previousWorkerId A-1-0 archived',
      ),
    ).toHaveLength(1);
    expect(
      notesOf(run, 'registration', 'TE-1 registered').map((n) => Math.round(n.atUs / 1_000_000)),
    ).toContain(60);
    expect(mantis(run).notificationMessages.total).toBe(0);
    expect(run.metrics.messages.byType.TaskExecutorReconnectedEvent).toBeUndefined();
  });
});

describe('scheduling info across a failover', () => {
  it("keeps numbering pushes upward, so consumers apply the new leader's pushes", () => {
    const run = simulate(loadScenario('scenarios/mantis/edge-07-failover.yaml'), { variant: 'fix-1c' });
    const seqs = notesOf(run, 'push', 'JobSchedulingInfo of A #').map((n) =>
      Number(/#(\d+)/.exec(n.text)![1]),
    );
    expect(seqs.length).toBeGreaterThan(2);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]!);
    // The push without TE-1 after its reconnection reaches the consumers.
    expect(firstAtS(run, 'consumer', 'A-2-0 completes endpoint TE-1')).toBeGreaterThan(185);
  });
});

describe('edge cases exhibit what they name', () => {
  it("edge-08: a dropped empty list keeps the as-is consumers on B-1-1 past A's detection at 4m01s", () => {
    const run = simulate(loadScenario('scenarios/mantis/edge-08-empty-list.yaml'), { variant: 'as-is' });
    const detection = firstAtS(run, 'detection', 'missed heartbeats: A-1-0 ');
    expect(detection).toBeCloseTo(241, 0);
    expect(
      notesOf(run, 'consumer', 'drops an update with an empty stage-1 list').some(
        (n) => Math.round(n.atUs / 1_000_000) === 241,
      ),
    ).toBe(true);
    const read = violation(run, 'no-foreign-read');
    expect(read?.entities).toMatchObject({ job: 'A', te: 'TE-1', worker: 'B-1-1' });
    expect(read!.episodes[0]!.endMs!).toBeGreaterThanOrEqual(300_000); // until TE-1 crashes again, not the detection
  });

  it('edge-08: fix-1a-merged pushes the right (empty) list and its consumers still read B-1-1 to the end', () => {
    const run = simulate(loadScenario('scenarios/mantis/edge-08-empty-list.yaml'), {
      variant: 'fix-1a-merged',
    });
    const read = violation(run, 'no-foreign-read');
    expect(read?.atMs).toBeGreaterThan(358_000);
    expect(read!.episodes[0]!.endMs).toBeNull();
  });

  it('edge-10: after a held-up StatusChange(Available) FIX784 sends a spurious WorkerTerminate that the job ignores', () => {
    const run = simulate(loadScenario('scenarios/mantis/edge-10-spurious-detection.yaml'), {
      variant: 'fix-1a-merged',
    });
    const spurious = notesOf(run, 'detection', 'TE-1 reports Available while Running(A-1-0)');
    expect(spurious).toHaveLength(1);
    expect(spurious[0]!.atUs / 1_000_000).toBeCloseTo(200, 0);
    expect(notesOf(run, 'resubmit', "resubmit A-1-0'")).toHaveLength(0); // the replacement keeps running
    expect(violation(run, 'rc-job-consistency')).toBeUndefined();
  });
});

describe('violation messages', () => {
  it('name the job, stage, TE, the worker actually there and the time', () => {
    const run = simulate(loadScenario('scenarios/mantis/edge-06-duplicate-identity.yaml'), {
      variant: 'fix-1a-merged',
    });
    const copies = violation(run, 'one-live-copy-per-slot');
    expect(copies?.message).toMatch(/^two copies of slot A stage 1 index 0 run: .+ \(since t=[\dms.]+s\)$/);
    expect(copies?.entities).toMatchObject({ job: 'A', stage: '1' });
    const pooled = violation(run, 'one-worker-per-executor');
    expect(pooled?.message).toMatch(
      /^TE-1 is in the available pool while it runs A-1-0 of job A \(since t=40\.\d+s\)$/,
    );
    const consistency = violation(run, 'rc-job-consistency');
    expect(consistency?.entities).toMatchObject({ job: 'A', stage: '1', te: 'TE-1', worker: 'A-1-0' });
  });
});
