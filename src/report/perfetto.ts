import type { Note, TraceRecord } from '../engine/index.js';
import { msToUs, TraceKind } from '../engine/index.js';
import type { RunResult } from '../run/result.js';

/**
 * `--trace FILE`: Chrome Trace Event Format JSON (`{"traceEvents": [...]}`) that
 * ui.perfetto.dev and chrome://tracing open. Simulated µs are trace µs (the `ts` unit), so the
 * UI shows simulated time as is.
 *
 * Layout: one process per node (pid = its index in the cluster's node order + 1), with
 * - thread `process`: one span per incarnation (start or restart → crash or end), `paused` spans,
 *   and instants for partition/heal/dropped messages;
 * - thread `notes`: every note of the node as an instant (name = text, cat = category);
 * - one thread per actor: a 1 µs slice per delivery and timer firing, named by message type;
 * - one thread per span track (see below).
 * Messages are flow arrows (`ph: 's'` at the send on the sender's actor thread, `ph: 'f'` at the
 * delivery). A process `invariants` holds one thread per violated invariant with a span per
 * episode, and each episode start is also a global instant event named by the invariant id.
 *
 * SPAN CONVENTION for models (worker lifetimes, connections, leases…): emit
 *   ctx.note('span-begin', text, { track: 'worker TE-1', span: 'A-1-0 #2' })
 *   ctx.note('span-end',   text, { track: 'worker TE-1', span: 'A-1-0 #2' })
 * `track` names a thread of the emitting node's process (one per concurrent thing: spans on a
 * track must nest, like a call stack); `span` is the span's label. A span-end closes the
 * innermost open span of its track. Spans still open when their node crashes are closed at the
 * crash (the actor cannot say so itself); spans open at the end of the run are closed there.
 * The text timeline hides these two categories unless `--verbose`.
 */

interface TraceEvent {
  readonly name: string;
  readonly ph: 'X' | 'B' | 'E' | 'i' | 's' | 'f' | 'M';
  readonly pid: number;
  readonly tid: number;
  readonly ts?: number;
  readonly dur?: number;
  readonly cat?: string;
  readonly id?: number;
  readonly bp?: 'e';
  readonly s?: 'g' | 'p' | 't';
  readonly args?: Record<string, unknown>;
}

export interface ChromeTrace {
  readonly traceEvents: TraceEvent[];
  readonly displayTimeUnit: 'ms';
  readonly metadata: Record<string, unknown>;
}

export interface PerfettoOptions {
  /** The cluster's nodes in their stable order (`model.nodes(cluster)`). */
  readonly nodes: readonly string[];
}

const PROCESS_TID = 1;
const NOTES_TID = 2;

class Tracks {
  readonly events: TraceEvent[] = [];
  private readonly pids = new Map<string, number>();
  private readonly tids = new Map<string, number>();
  private readonly nextTid = new Map<number, number>();

  pid(process: string): number {
    let pid = this.pids.get(process);
    if (pid === undefined) {
      pid = this.pids.size + 1;
      this.pids.set(process, pid);
      this.events.push({ name: 'process_name', ph: 'M', pid, tid: 0, args: { name: process } });
      this.events.push({ name: 'process_sort_index', ph: 'M', pid, tid: 0, args: { sort_index: pid } });
      this.thread(process, 'process', PROCESS_TID);
      this.thread(process, 'notes', NOTES_TID);
    }
    return pid;
  }

  /** Thread id of `thread` in `process`, created on first use. */
  thread(process: string, thread: string, fixedTid?: number): number {
    const pid = this.pid(process);
    const key = `${pid}\u0000${thread}`;
    let tid = this.tids.get(key);
    if (tid === undefined) {
      tid = fixedTid ?? Math.max(NOTES_TID + 1, this.nextTid.get(pid) ?? NOTES_TID + 1);
      this.nextTid.set(pid, Math.max(tid + 1, this.nextTid.get(pid) ?? 0));
      this.tids.set(key, tid);
      this.events.push({ name: 'thread_name', ph: 'M', pid, tid, args: { name: thread } });
      this.events.push({ name: 'thread_sort_index', ph: 'M', pid, tid, args: { sort_index: tid } });
    }
    return tid;
  }
}

/** Builds the Chrome trace of one run. Uses `result.trace` when the run captured records. */
export function toChromeTrace(result: RunResult, options: PerfettoOptions): ChromeTrace {
  const tracks = new Tracks();
  const timed: TraceEvent[] = [];
  for (const node of options.nodes) tracks.pid(node);
  const endUs = msToUs(result.simulatedMs);
  const records = result.trace?.records ?? [];
  const chain = chainEvents(result);

  // Process lifetimes and span stacks are replayed in time order: records first at equal times
  // (a crash at t closes spans before notes of the restart at t open new ones).
  const upSince = new Map<string, { atUs: number; incarnation: number } | null>(
    options.nodes.map((n) => [n, { atUs: 0, incarnation: 0 }]),
  );
  const pausedSince = new Map<string, number>();
  const lastIncarnation = new Map<string, number>();
  const openSpans = new Map<string, { node: string; track: string; names: string[] }>();
  const closeSpansOf = (node: string, atUs: number): void => {
    for (const open of openSpans.values()) {
      if (open.node !== node) continue;
      const tid = tracks.thread(node, open.track);
      while (open.names.length > 0)
        timed.push({
          name: open.names.pop() as string,
          ph: 'E',
          pid: tracks.pid(node),
          tid,
          ts: atUs,
          args: { closedBy: 'crash' },
        });
    }
  };
  const endLife = (node: string, atUs: number): void => {
    const life = upSince.get(node);
    if (life === null || life === undefined) return;
    timed.push({
      name: `${node} #${life.incarnation}`,
      ph: 'X',
      cat: 'process',
      pid: tracks.pid(node),
      tid: PROCESS_TID,
      ts: life.atUs,
      dur: atUs - life.atUs,
    });
    upSince.set(node, null);
    lastIncarnation.set(node, life.incarnation);
    endPause(node, atUs);
  };
  const endPause = (node: string, atUs: number): void => {
    const since = pausedSince.get(node);
    if (since === undefined) return;
    timed.push({
      name: 'paused',
      ph: 'X',
      cat: 'fault',
      pid: tracks.pid(node),
      tid: PROCESS_TID,
      ts: since,
      dur: atUs - since,
    });
    pausedSince.delete(node);
  };

  const onRecord = (record: TraceRecord): void => {
    const pid = tracks.pid(record.node);
    switch (record.kind) {
      case TraceKind.Crash:
        endLife(record.node, record.atUs);
        closeSpansOf(record.node, record.atUs);
        return;
      case TraceKind.Restart: {
        const before = upSince.get(record.node);
        if (before !== null && before !== undefined) endLife(record.node, record.atUs);
        const incarnation = (before?.incarnation ?? lastIncarnation.get(record.node) ?? 0) + 1;
        lastIncarnation.set(record.node, incarnation);
        upSince.set(record.node, { atUs: record.atUs, incarnation });
        return;
      }
      case TraceKind.Pause:
        pausedSince.set(record.node, record.atUs);
        return;
      case TraceKind.Resume:
        endPause(record.node, record.atUs);
        return;
      case TraceKind.Partition:
      case TraceKind.Heal:
        timed.push({
          name: record.type,
          ph: 'i',
          s: 't',
          cat: 'fault',
          pid,
          tid: PROCESS_TID,
          ts: record.atUs,
        });
        return;
      case TraceKind.Drop:
        timed.push({
          name: `drop ${record.type}`,
          ph: 'i',
          s: 't',
          cat: 'drop',
          pid,
          tid: PROCESS_TID,
          ts: record.atUs,
          args: { reason: record.detail, from: record.fromNode },
        });
        return;
      case TraceKind.Timer:
        timed.push({
          name: record.type,
          ph: 'X',
          cat: 'timer',
          pid,
          tid: tracks.thread(record.node, record.actor ?? '?'),
          ts: record.atUs,
          dur: 1,
        });
        return;
      case TraceKind.Deliver:
        return onDelivery(record);
      default:
        return;
    }
  };
  let flowId = 0;
  const onDelivery = (record: TraceRecord): void => {
    const pid = tracks.pid(record.node);
    const tid = tracks.thread(record.node, record.actor ?? '?');
    const from = `${record.fromNode ?? '?'}/${record.fromActor ?? '?'}`;
    if (record.fromNode !== undefined && record.fromActor !== undefined && record.sentAtUs !== undefined) {
      const id = ++flowId;
      const fromPid = tracks.pid(record.fromNode);
      const fromTid = tracks.thread(record.fromNode, record.fromActor);
      timed.push({
        name: `send ${record.type}`,
        ph: 'X',
        cat: 'send',
        pid: fromPid,
        tid: fromTid,
        ts: record.sentAtUs,
        dur: 1,
        args: { to: `${record.node}/${record.actor ?? '?'}` },
      });
      // A message on a violation's causal chain (`why`) is marked, so it can be found and highlighted.
      const cat = record.seq !== undefined && chain.has(record.seq) ? 'message,why' : 'message';
      timed.push({
        name: record.type,
        ph: 's',
        cat,
        id,
        pid: fromPid,
        tid: fromTid,
        ts: record.sentAtUs,
      });
      timed.push({ name: record.type, ph: 'f', bp: 'e', cat, id, pid, tid, ts: record.atUs });
    }
    timed.push({
      name: record.type,
      ph: 'X',
      cat: 'deliver',
      pid,
      tid,
      ts: record.atUs,
      dur: 1,
      args: { from, fromIncarnation: record.fromIncarnation },
    });
  };
  const onNote = (note: Note): void => {
    const pid = tracks.pid(note.node);
    if (note.category === 'span-begin' || note.category === 'span-end') {
      const track = note.entities.track ?? 'spans';
      const span = note.entities.span ?? note.text;
      const key = `${note.node}\u0000${track}`;
      let open = openSpans.get(key);
      if (open === undefined) {
        open = { node: note.node, track, names: [] };
        openSpans.set(key, open);
      }
      const tid = tracks.thread(note.node, track);
      if (note.category === 'span-begin') {
        open.names.push(span);
        timed.push({ name: span, ph: 'B', cat: 'span', pid, tid, ts: note.atUs, args: { text: note.text } });
      } else if (open.names.length > 0) {
        timed.push({ name: open.names.pop() as string, ph: 'E', pid, tid, ts: note.atUs });
      }
      return;
    }
    timed.push({
      name: note.text,
      ph: 'i',
      s: 't',
      cat: note.category,
      pid,
      tid: NOTES_TID,
      ts: note.atUs,
      args: { ...note.entities },
    });
  };

  let r = 0;
  let n = 0;
  const notes = result.notes;
  while (r < records.length || n < notes.length) {
    const record = records[r];
    const note = notes[n];
    if (record !== undefined && (note === undefined || record.atUs <= note.atUs)) {
      onRecord(record);
      r++;
    } else if (note !== undefined) {
      onNote(note);
      n++;
    }
  }
  for (const node of upSince.keys()) endLife(node, endUs);
  for (const open of openSpans.values()) {
    const tid = tracks.thread(open.node, open.track);
    while (open.names.length > 0)
      timed.push({ name: open.names.pop() as string, ph: 'E', pid: tracks.pid(open.node), tid, ts: endUs });
  }

  for (const v of result.violations) {
    const tid = tracks.thread('invariants', v.invariant);
    const pid = tracks.pid('invariants');
    for (const episode of v.episodes) {
      const startUs = msToUs(episode.startMs);
      const stopUs = episode.endMs === null ? endUs : msToUs(episode.endMs);
      const args = { message: episode.message, kind: v.kind, ...episode.entities };
      timed.push({ name: v.invariant, ph: 'i', s: 'g', cat: 'violation', pid, tid, ts: startUs, args });
      timed.push({
        name: v.invariant,
        ph: 'X',
        cat: 'violation',
        pid,
        tid,
        ts: startUs,
        dur: Math.max(1, stopUs - startUs),
        args,
      });
    }
  }

  // Stable by time: B/E pairs keep their order at equal times.
  const ordered = timed
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (a.e.ts ?? 0) - (b.e.ts ?? 0) || a.i - b.i)
    .map(({ e }) => e);
  return {
    traceEvents: [...tracks.events, ...ordered],
    displayTimeUnit: 'ms',
    metadata: {
      scenario: result.scenario,
      system: result.system,
      variant: result.variant,
      seed: result.seed,
      traceHash: result.traceHash,
      ...(result.trace === undefined
        ? { note: 'run without trace capture: no messages or process spans' }
        : {}),
      ...(result.trace !== undefined && result.trace.truncated > 0
        ? { truncatedRecords: result.trace.truncated }
        : {}),
    },
  };
}

/** The events of the violations' explained chains: each step, and the event whose handler wrote it. */
function chainEvents(result: RunResult): Set<number> {
  const chain = new Set<number>();
  const causeOf = new Map(result.notes.map((n) => [n.seq, n.cause]));
  for (const explanation of result.why ?? []) {
    for (const step of explanation.steps) {
      if (step.seq === undefined) continue;
      chain.add(step.seq);
      const cause = causeOf.get(step.seq);
      if (cause !== undefined) chain.add(cause);
    }
  }
  return chain;
}
