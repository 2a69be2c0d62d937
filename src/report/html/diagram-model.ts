import type { TraceRecord } from '../../engine/index.js';
import { FAULT_TRACE_KINDS, formatSimTime, msToUs, TraceKind } from '../../engine/index.js';
import type { RunResult } from '../../run/result.js';
import { chainSeqs } from './chain.js';

/**
 * What the run diagram draws, in simulated µs and lane indexes (no pixels): the SVG writer and the
 * page script place it on a time axis the reader can zoom.
 */
export interface Diagram {
  readonly endUs: number;
  readonly lanes: readonly Lane[];
  readonly spans: readonly Span[];
  readonly arrows: readonly Arrow[];
  readonly marks: readonly Mark[];
  readonly bands: readonly Band[];
  /** Dashed links from a chain event to the chain event it caused (where no message arrow shows it). */
  readonly causeLinks: readonly CauseLink[];
  /** What was left out of a large trace, in words (empty when everything is drawn). */
  readonly omitted: readonly string[];
  /** seq → cause of every drawn event, for the page's click-to-trace-back. */
  readonly causes: Readonly<Record<number, number>>;
}

export interface Lane {
  readonly id: string;
  readonly label: string;
  readonly kind: 'node' | 'actor' | 'track' | 'scenario';
}

export interface Span {
  readonly lane: number;
  readonly fromUs: number;
  readonly toUs: number;
  readonly kind: 'life' | 'paused' | 'track';
  readonly label: string;
  readonly title: string;
}

export interface Arrow {
  readonly fromLane: number;
  readonly toLane: number;
  readonly sentUs: number;
  readonly atUs: number;
  readonly type: string;
  readonly title: string;
  readonly chain: boolean;
  readonly dropped: boolean;
  readonly seq?: number;
}

export interface Mark {
  readonly lane: number;
  readonly atUs: number;
  readonly kind: 'timer' | 'note' | 'fault' | 'why';
  readonly title: string;
  /** Short text beside the mark (faults, why step numbers). */
  readonly label?: string;
  readonly chain: boolean;
  readonly seq?: number;
}

export interface Band {
  readonly fromUs: number;
  readonly toUs: number;
  readonly invariant: string;
  readonly title: string;
}

export interface CauseLink {
  readonly fromLane: number;
  readonly fromUs: number;
  readonly toLane: number;
  readonly toUs: number;
  readonly title: string;
}

export interface DiagramLimits {
  readonly arrows: number;
  readonly timers: number;
  readonly notes: number;
}

/** Enough to read a long run, small enough for a browser to zoom smoothly. */
export const DEFAULT_DIAGRAM_LIMITS: DiagramLimits = { arrows: 4000, timers: 3000, notes: 2000 };

const t = (us: number): string => formatSimTime(us);

/** The lanes: the scenario's own (fault steps) first, then per node its process, span tracks and actors. */
function lanesOf(result: RunResult, nodes: readonly string[]): Lane[] {
  const lanes: Lane[] = [];
  const seen = new Set<string>();
  const add = (lane: Lane): void => {
    if (seen.has(lane.id)) return;
    seen.add(lane.id);
    lanes.push(lane);
  };
  const records = result.trace?.records ?? [];
  const actorsOf = new Map<string, string[]>(nodes.map((n) => [n, []]));
  const tracksOf = new Map<string, string[]>(nodes.map((n) => [n, []]));
  const remember = (map: Map<string, string[]>, node: string, name: string): void => {
    let list = map.get(node);
    if (list === undefined) {
      list = [];
      map.set(node, list);
    }
    if (!list.includes(name)) list.push(name);
  };
  for (const r of records) {
    if (r.actor !== undefined) remember(actorsOf, r.node, r.actor);
    if (r.fromNode !== undefined && r.fromActor !== undefined) remember(actorsOf, r.fromNode, r.fromActor);
  }
  const extra: string[] = [];
  for (const note of result.notes) {
    if (note.category === 'span-begin') remember(tracksOf, note.node, note.entities.track ?? 'spans');
    else if (!actorsOf.has(note.node) && !extra.includes(note.node)) extra.push(note.node);
  }
  for (const name of extra) add({ id: name, label: name, kind: 'scenario' });
  for (const node of actorsOf.keys()) {
    add({ id: node, label: node, kind: 'node' });
    for (const track of tracksOf.get(node) ?? [])
      add({ id: `${node}#${track}`, label: `${node} · ${track}`, kind: 'track' });
    for (const actor of actorsOf.get(node) ?? [])
      add({ id: `${node}/${actor}`, label: actor, kind: 'actor' });
  }
  return lanes;
}

/** Keeps at most `limit` items: the chain's first, then the rarer types, in time order. */
function capped<T extends { readonly chain: boolean }>(
  items: readonly T[],
  limit: number,
  typeOf: (item: T) => string,
  what: string,
  omitted: string[],
): T[] {
  if (items.length <= limit) return [...items];
  const count = new Map<string, number>();
  for (const item of items) count.set(typeOf(item), (count.get(typeOf(item)) ?? 0) + 1);
  const ranked = items
    .map((item, index) => ({ item, index }))
    .sort(
      (a, b) =>
        Number(b.item.chain) - Number(a.item.chain) ||
        (count.get(typeOf(a.item)) ?? 0) - (count.get(typeOf(b.item)) ?? 0) ||
        a.index - b.index,
    );
  const kept = ranked.slice(0, limit);
  const left = new Map<string, number>();
  for (const { item } of ranked.slice(limit)) left.set(typeOf(item), (left.get(typeOf(item)) ?? 0) + 1);
  const byType = [...left.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 6)
    .map(([type, n]) => `${type} ×${n}`)
    .join(', ');
  omitted.push(
    `${items.length - limit} of ${items.length} ${what} not drawn (the causal chain and rarer types are kept): ${byType}${left.size > 6 ? ', …' : ''}`,
  );
  return kept.sort((a, b) => a.index - b.index).map(({ item }) => item);
}

/** Builds the diagram of one run; needs a run made with trace capture for messages and lifetimes. */
export function buildDiagram(
  result: RunResult,
  nodes: readonly string[],
  limits: DiagramLimits = DEFAULT_DIAGRAM_LIMITS,
): Diagram {
  const endUs = Math.max(1, msToUs(result.simulatedMs));
  const lanes = lanesOf(result, nodes);
  const laneIndex = new Map(lanes.map((lane, i) => [lane.id, i]));
  const laneOf = (node: string, actor?: string): number =>
    laneIndex.get(actor !== undefined ? `${node}/${actor}` : node) ?? laneIndex.get(node) ?? 0;
  const records = result.trace?.records ?? [];
  const bySeq = new Map<number, TraceRecord>();
  for (const r of records) if (r.seq !== undefined) bySeq.set(r.seq, r);
  const chain = chainSeqs(result.why ?? [], bySeq);
  const inChain = (r: TraceRecord): boolean => r.seq !== undefined && chain.has(r.seq);
  const omitted: string[] = [];
  if (result.trace === undefined) omitted.push('the run was made without trace capture: no messages drawn');
  else if (result.trace.truncated > 0)
    omitted.push(`${result.trace.truncated} trace records past the capture limit are not drawn`);

  const spans: Span[] = [];
  const marks: Mark[] = [];
  const allArrows: Arrow[] = [];
  const timers: Mark[] = [];
  const seqPart = (r: TraceRecord): string =>
    r.seq === undefined ? '' : `\nevent #${r.seq}${r.cause !== undefined ? `, caused by #${r.cause}` : ''}`;

  // Process lifetimes: up from 0 (or a restart) to a crash (or the end); paused spans likewise.
  const upSince = new Map<string, { atUs: number; incarnation: number } | null>(
    nodes.map((n) => [n, { atUs: 0, incarnation: 0 }]),
  );
  const pausedSince = new Map<string, number>();
  const endLife = (node: string, atUs: number, how: string): void => {
    const life = upSince.get(node);
    if (life === null || life === undefined) return;
    spans.push({
      lane: laneOf(node),
      fromUs: life.atUs,
      toUs: atUs,
      kind: 'life',
      label: `#${life.incarnation}`,
      title: `${node} process #${life.incarnation}: up ${t(life.atUs)} → ${how} ${t(atUs)}`,
    });
    upSince.set(node, null);
  };
  const lastIncarnation = new Map<string, number>();
  for (const r of records) {
    if (FAULT_TRACE_KINDS.has(r.kind)) {
      if (r.kind === TraceKind.Crash) {
        lastIncarnation.set(r.node, upSince.get(r.node)?.incarnation ?? lastIncarnation.get(r.node) ?? 0);
        endLife(r.node, r.atUs, 'crash');
      } else if (r.kind === TraceKind.Restart) {
        const before = upSince.get(r.node);
        if (before !== null && before !== undefined) {
          lastIncarnation.set(r.node, before.incarnation);
          endLife(r.node, r.atUs, 'restart (implied crash)');
        }
        upSince.set(r.node, { atUs: r.atUs, incarnation: (lastIncarnation.get(r.node) ?? 0) + 1 });
      } else if (r.kind === TraceKind.Pause) pausedSince.set(r.node, r.atUs);
      else if (r.kind === TraceKind.Resume) {
        const since = pausedSince.get(r.node);
        if (since !== undefined)
          spans.push({
            lane: laneOf(r.node),
            fromUs: since,
            toUs: r.atUs,
            kind: 'paused',
            label: 'paused',
            title: `${r.node} paused ${t(since)} → ${t(r.atUs)}`,
          });
        pausedSince.delete(r.node);
      }
      // A restart of a running node is a crash and a restart at one instant: one mark, both named.
      const previous = marks.at(-1);
      if (previous !== undefined && previous.lane === laneOf(r.node) && previous.atUs === r.atUs)
        marks[marks.length - 1] = {
          ...previous,
          label: `${previous.label ?? ''} + ${r.type}`,
          title: `${previous.title}\n${r.type} ${r.node}${seqPart(r)}`,
          chain: previous.chain || inChain(r),
        };
      else
        marks.push({
          lane: laneOf(r.node),
          atUs: r.atUs,
          kind: 'fault',
          label: r.type,
          title: `${r.type} ${r.node} at ${t(r.atUs)}${r.detail !== undefined ? ` (${r.detail})` : ''}${seqPart(r)}`,
          chain: inChain(r),
          ...(r.seq !== undefined ? { seq: r.seq } : {}),
        });
    } else if (r.kind === TraceKind.Deliver || r.kind === TraceKind.Drop) {
      const dropped = r.kind === TraceKind.Drop;
      const to = laneOf(r.node, r.actor);
      const from = r.fromNode !== undefined ? laneOf(r.fromNode, r.fromActor) : to;
      const sentUs = r.sentAtUs ?? r.atUs;
      allArrows.push({
        fromLane: from,
        toLane: to,
        sentUs,
        atUs: r.atUs,
        type: r.type,
        title:
          `${dropped ? 'dropped ' : ''}${r.type}: ${r.fromNode ?? '?'}/${r.fromActor ?? '?'}` +
          `${r.fromIncarnation !== undefined ? ` #${r.fromIncarnation}` : ''} → ${r.node}/${r.actor ?? '?'}` +
          `\nsent ${t(sentUs)}, ${dropped ? 'dropped' : 'delivered'} ${t(r.atUs)}` +
          `${r.detail !== undefined ? `\n${dropped ? 'reason' : 'detail'}: ${r.detail}` : ''}${seqPart(r)}`,
        chain: inChain(r),
        dropped,
        ...(r.seq !== undefined ? { seq: r.seq } : {}),
      });
    } else if (r.kind === TraceKind.Timer) {
      timers.push({
        lane: laneOf(r.node, r.actor),
        atUs: r.atUs,
        kind: 'timer',
        title: `timer ${r.type} fires on ${r.node}/${r.actor ?? '?'} at ${t(r.atUs)}${seqPart(r)}`,
        chain: inChain(r),
        ...(r.seq !== undefined ? { seq: r.seq } : {}),
      });
    }
  }
  for (const [node, since] of pausedSince)
    spans.push({
      lane: laneOf(node),
      fromUs: since,
      toUs: endUs,
      kind: 'paused',
      label: 'paused',
      title: `${node} paused ${t(since)} → end`,
    });
  for (const node of upSince.keys()) endLife(node, endUs, 'end of run');

  // Span tracks from the models' span-begin / span-end notes (worker lifetimes and the like).
  const open = new Map<string, { atUs: number; name: string; text: string }[]>();
  const notes: Mark[] = [];
  for (const note of result.notes) {
    if (note.category === 'span-begin' || note.category === 'span-end') {
      const key = `${note.node}#${note.entities.track ?? 'spans'}`;
      const stack = open.get(key) ?? [];
      open.set(key, stack);
      if (note.category === 'span-begin')
        stack.push({ atUs: note.atUs, name: note.entities.span ?? note.text, text: note.text });
      else {
        const begun = stack.pop();
        if (begun !== undefined) spans.push(trackSpan(laneIndex.get(key) ?? 0, begun, note.atUs, note.text));
      }
      continue;
    }
    const lane = laneOf(note.node);
    const fromScenario = lanes[lane]?.kind === 'scenario';
    notes.push({
      lane,
      atUs: note.atUs,
      kind: fromScenario ? 'fault' : 'note',
      title: `${t(note.atUs)} ${note.node} ${note.category}: ${note.text}`,
      ...(fromScenario ? { label: note.text } : {}),
      chain: false,
    });
  }
  for (const [key, stack] of open)
    for (const begun of stack)
      spans.push(trackSpan(laneIndex.get(key) ?? 0, begun, endUs, 'open at the end'));

  // Each step of each explanation, numbered, on its lane.
  const why: Mark[] = [];
  for (const explanation of result.why ?? [])
    explanation.steps.forEach((step, i) => {
      if (step.folded !== undefined) return;
      why.push({
        lane: laneOf(step.node, step.actor),
        atUs: step.atUs,
        kind: 'why',
        label: String(i + 1),
        title: `why ${explanation.invariant}, step ${i + 1}: ${step.text} (${t(step.atUs)})`,
        chain: true,
        ...(step.seq !== undefined ? { seq: step.seq } : {}),
      });
    });

  const arrows = capped(allArrows, limits.arrows, (a) => a.type, 'messages', omitted);
  const keptTimers = capped(
    timers,
    limits.timers,
    (m) => m.title.split(' ')[1] ?? '',
    'timer firings',
    omitted,
  );
  const keptNotes = capped(notes, limits.notes, (m) => m.title.split(' ')[2] ?? '', 'notes', omitted);

  const bands: Band[] = [];
  for (const v of result.violations)
    for (const episode of v.episodes) {
      const fromUs = msToUs(episode.startMs);
      const toUs = episode.endMs === null ? endUs : msToUs(episode.endMs);
      bands.push({
        fromUs,
        toUs: Math.max(toUs, fromUs + 1),
        invariant: v.invariant,
        title: `${v.invariant} (${v.kind}) broken ${t(fromUs)} → ${episode.endMs === null ? 'end' : t(toUs)}\n${episode.message}`,
      });
    }

  const causes: Record<number, number> = {};
  for (const r of records) if (r.seq !== undefined && r.cause !== undefined) causes[r.seq] = r.cause;
  return {
    endUs,
    lanes,
    spans,
    arrows,
    marks: [...marks, ...keptTimers, ...keptNotes, ...why],
    bands,
    causeLinks: causeLinksOf(chain, bySeq, laneOf),
    omitted,
    causes,
  };
}

function trackSpan(
  lane: number,
  begun: { atUs: number; name: string; text: string },
  toUs: number,
  endText: string,
): Span {
  return {
    lane,
    fromUs: begun.atUs,
    toUs,
    kind: 'track',
    label: begun.name,
    title: `${begun.name}: ${begun.text} ${t(begun.atUs)} → ${endText} ${t(toUs)}`,
  };
}

/**
 * A chain event caused by another chain event: an arrow from where the cause ran to where the
 * effect starts (a message's send), drawn when the two are apart (a timer set long before it fires).
 */
function causeLinksOf(
  chain: ReadonlySet<number>,
  bySeq: ReadonlyMap<number, TraceRecord>,
  laneOf: (node: string, actor?: string) => number,
): CauseLink[] {
  const links: CauseLink[] = [];
  for (const seq of [...chain].sort((a, b) => a - b)) {
    const effect = bySeq.get(seq);
    const cause = effect?.cause !== undefined ? bySeq.get(effect.cause) : undefined;
    if (effect === undefined || cause === undefined) continue;
    const fromLane = laneOf(cause.node, cause.actor);
    const startsOnSender = effect.kind === TraceKind.Deliver || effect.kind === TraceKind.Drop;
    const toLane =
      startsOnSender && effect.fromNode !== undefined
        ? laneOf(effect.fromNode, effect.fromActor)
        : laneOf(effect.node, effect.actor);
    const toUs = startsOnSender ? (effect.sentAtUs ?? effect.atUs) : effect.atUs;
    if (fromLane === toLane && toUs === cause.atUs) continue;
    links.push({
      fromLane,
      fromUs: cause.atUs,
      toLane,
      toUs,
      title: `#${cause.seq ?? '?'} ${cause.type} (${t(cause.atUs)}) caused #${seq} ${effect.type} (${t(effect.atUs)})`,
    });
  }
  return links;
}
