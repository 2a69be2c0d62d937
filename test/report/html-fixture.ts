import type { TraceRecord } from '../../src/engine/index.js';
import { TraceKind } from '../../src/engine/index.js';
import type { RunResult } from '../../src/run/result.js';

/** The nodes of the hand-built run, in cluster order. */
export const FIXTURE_NODES = ['control-plane', 'TE-1', 'TE-2'];

const S = 1_000_000;

/**
 * A run built by hand with the causal fields set (`seq`, `cause`, `why`): TE-1 crashes and comes
 * back, its heartbeat makes the control plane assign it, a timer set then fires later; TE-2 pings
 * `pings` times, none of it in the chain. `noteText` is put in a note as is (for escaping tests).
 */
export function fixtureRun(pings = 10, noteText = 'TE-1 pooled'): RunResult {
  const records: TraceRecord[] = [
    { seq: 1, atUs: 10 * S, kind: TraceKind.Crash, node: 'TE-1', type: 'crash' },
    { seq: 2, atUs: 20 * S, kind: TraceKind.Restart, node: 'TE-1', type: 'restart' },
    {
      seq: 3,
      cause: 2,
      atUs: 21 * S,
      kind: TraceKind.Timer,
      node: 'TE-1',
      actor: 'te',
      type: 'heartbeat-timer',
    },
    {
      seq: 4,
      cause: 3,
      atUs: 21 * S + 5000,
      kind: TraceKind.Deliver,
      node: 'control-plane',
      actor: 'rc',
      type: 'heartbeat',
      fromNode: 'TE-1',
      fromActor: 'te',
      fromIncarnation: 1,
      sentAtUs: 21 * S,
    },
    {
      seq: 5,
      cause: 4,
      atUs: 21 * S + 10_000,
      kind: TraceKind.Deliver,
      node: 'TE-1',
      actor: 'te',
      type: 'assign',
      fromNode: 'control-plane',
      fromActor: 'rc',
      fromIncarnation: 0,
      sentAtUs: 21 * S + 5000,
    },
    {
      seq: 6,
      cause: 4,
      atUs: 30 * S,
      kind: TraceKind.Timer,
      node: 'control-plane',
      actor: 'rc',
      type: 'retry',
    },
  ];
  for (let i = 0; i < pings; i++)
    records.push({
      seq: 7 + i,
      atUs: (i + 1) * S,
      kind: TraceKind.Deliver,
      node: 'control-plane',
      actor: 'rc',
      type: 'ping',
      fromNode: 'TE-2',
      fromActor: 'te',
      fromIncarnation: 0,
      sentAtUs: (i + 1) * S - 3000,
    });
  records.sort((a, b) => a.atUs - b.atUs || (a.seq ?? 0) - (b.seq ?? 0));
  return {
    scenario: 'hand-built',
    system: 'mantis',
    variant: 'as-is',
    seed: 1,
    simulatedMs: 60_000,
    events: records.length,
    traceHash: '0123456789abcdef',
    violations: [
      {
        invariant: 'no-foreign-read',
        kind: 'safety',
        atMs: 25_000,
        count: 1,
        message: 'stage 2 reads TE-1, which runs B-1-1',
        entities: { te: 'TE-1' },
        violationSeconds: 15,
        episodes: [{ startMs: 25_000, endMs: 40_000, message: 'stage 2 reads TE-1', entities: {} }],
      },
    ],
    metrics: { messages: { total: 2 + pings, dropped: 0, byType: {} } },
    notes: [
      { atUs: 10 * S, node: 'scenario', category: 'fault', text: 'crash TE-1', entities: {} },
      { atUs: 21 * S + 5000, node: 'control-plane', category: 'pool', text: noteText, entities: {} },
      {
        atUs: 22 * S,
        node: 'TE-1',
        category: 'span-begin',
        text: 'B-1-1 starts',
        entities: { track: 'worker', span: 'B-1-1' },
      },
    ],
    steps: [],
    faultsOff: [],
    trace: { records, truncated: 0 },
    checks: [],
    state: { atMs: 60_000, view: {} },
    why: [
      {
        invariant: 'no-foreign-read',
        atMs: 25_000,
        steps: [
          { atUs: 10 * S, node: 'TE-1', text: 'crash TE-1', seq: 1 },
          { atUs: 20 * S, node: 'TE-1', text: 'restart TE-1', seq: 2 },
          { atUs: 21 * S, node: 'TE-1', text: '1 heartbeat', folded: 1 },
          { atUs: 21 * S + 5000, node: 'control-plane', actor: 'rc', text: 'RC pools TE-1', seq: 4 },
          { atUs: 21 * S + 10_000, node: 'TE-1', actor: 'te', text: 'B-1-1 assigned to TE-1', seq: 5 },
          { atUs: 30 * S, node: 'control-plane', actor: 'rc', text: 'retry fires', seq: 6 },
        ],
      },
    ],
  };
}
