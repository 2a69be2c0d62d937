import type { Note, TraceRecord, Violation } from '../engine/index.js';
import { FAULT_TRACE_KINDS, msToUs, TraceKind } from '../engine/index.js';
import type { WhyModel } from '../systems/why-model.js';
import type { Explanation, WhyStep } from './result.js';

/** At most this many lines per explanation (issue #16): the reader sees the story, not the log. */
export const WHY_LINES_MAX = 12;

/** The node of the notes the runner writes for a timeline step (see run-plan.ts applyStep). */
const SCENARIO_NODE = 'scenario';

/** What the walk reads: a run's captured trace and notes, both carrying seq/cause. */
export interface WhyInput {
  readonly records: readonly TraceRecord[];
  readonly notes: readonly Note[];
  readonly variant: string;
  readonly model: WhyModel;
}

/**
 * The causal explanation of each violation: from the event after which it broke (and, for a
 * violation no event fired, the latest notes naming its entities) back to the roots, following
 * each event's cause and each noted step's `rests` (the facts it read); then pruned to faults
 * and the notes on those chains that name one of the violation's entities, routine steps folded.
 */
export function explainViolations(violations: readonly Violation[], input: WhyInput): Explanation[] {
  const index = new WhyIndex(input);
  return violations.map((v) => explainOne(v, index, input));
}

/**
 * Lookups by event id over a run's records and notes. Both are in id order (ids are handed out
 * as events run), so a lookup is a binary search: a fuzz campaign explains every violating seed,
 * and maps over every record of each run cost more than the walk itself.
 */
class WhyIndex {
  private values: Set<string> | null = null;

  constructor(readonly input: WhyInput) {}

  /** The delivery, timer firing, drop or fault with this id. */
  event(seq: number): TraceRecord | undefined {
    const records = this.input.records;
    const at = firstAtOrAfter(records, seq);
    const r = records[at];
    return r !== undefined && r.seq === seq && r.kind !== TraceKind.Note ? r : undefined;
  }

  note(seq: number): Note | undefined {
    const notes = this.input.notes;
    const n = notes[firstAtOrAfter(notes, seq)];
    return n !== undefined && n.seq === seq ? n : undefined;
  }

  /** The notes event `seq`'s handler wrote: they follow it directly in id order. */
  notesOf(seq: number): Note[] {
    const notes = this.input.notes;
    const found: Note[] = [];
    for (let i = firstAtOrAfter(notes, seq + 1); i < notes.length && notes[i]!.cause === seq; i++)
      found.push(notes[i]!);
    return found;
  }

  /** Every entity value any note names (the ids a message may mention). */
  get entityValues(): ReadonlySet<string> {
    if (this.values === null) {
      this.values = new Set();
      for (const n of this.input.notes) for (const v of Object.values(n.entities)) this.values.add(v);
    }
    return this.values;
  }

  /** The latest note of `category` before `seq` whose `entity` is `value`. */
  latest(category: string, entity: string, value: string, seq: number): Note | undefined {
    const notes = this.input.notes;
    for (let i = notes.length - 1; i >= 0; i--) {
      const n = notes[i]!;
      if (n.seq !== undefined && n.seq < seq && n.category === category && n.entities[entity] === value)
        return n;
    }
    return undefined;
  }
}

/** The index of the first item whose seq is at least `seq` (items without one sort first). */
function firstAtOrAfter(items: readonly { readonly seq?: number }[], seq: number): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((items[mid]!.seq ?? -1) < seq) low = mid + 1;
    else high = mid;
  }
  return low;
}

function explainOne(violation: Violation, index: WhyIndex, input: WhyInput): Explanation {
  const focus = new Set(Object.values(violation.entities));
  // Ids the message names beyond its entities (`advertised on [TE-4, TE-1]`) count too.
  for (const word of words(violation.message)) if (index.entityValues.has(word)) focus.add(word);
  const quiet = new Set(input.model.quiet ?? []);
  const onChain = new Set<number>();
  const shown = new Set<number>();
  const key = new Set<number>();
  const work: number[] = [];
  const atUs = msToUs(violation.atMs);
  if (violation.seq !== undefined) work.push(violation.seq);
  else {
    // No event fired it (a liveness or sampled check): start from the latest notes naming its entities.
    const keys = input.model.anchors?.[violation.invariant] ?? Object.keys(violation.entities);
    for (const entity of keys) {
      const value = violation.entities[entity];
      const last = value === undefined ? undefined : latestNaming(input.notes, entity, value, atUs);
      if (last?.seq !== undefined) work.push(last.seq);
    }
  }
  // The scenario's own steps that name one of its entities (`crash TE-1`) are roots of the story
  // even where no message links them to it (a crash is known by what stops happening).
  for (const n of input.notes)
    if (n.node === SCENARIO_NODE && n.seq !== undefined && n.atUs <= atUs && namesAny(n.text, focus))
      work.push(n.seq);
  const relevant = (n: Note): boolean =>
    !quiet.has(n.category) && Object.values(n.entities).some((value) => focus.has(value));
  while (work.length > 0) {
    const seq = work.pop()!;
    if (onChain.has(seq)) continue;
    onChain.add(seq);
    const note = index.note(seq);
    if (note !== undefined) {
      if (!quiet.has(note.category)) shown.add(seq);
      if (note.cause !== undefined) work.push(note.cause);
      const rests = input.model.rests?.[note.category] ?? [];
      // A step that read a fact, and the fact it read, carry the story: kept when pruning.
      if (rests.length > 0) key.add(seq);
      for (const rest of rests) {
        const value = note.entities[rest.entity];
        if (value === undefined) continue;
        const fact = index.latest(rest.category, rest.entity, value, seq);
        if (fact?.seq !== undefined) {
          // A fact read names what it is about: its entities count from now on.
          for (const v of Object.values(fact.entities)) focus.add(v);
          key.add(fact.seq);
          work.push(fact.seq);
        }
      }
      continue;
    }
    const event = index.event(seq);
    if (event === undefined) continue;
    // A fault a scenario step made is told by the step's own note, its cause.
    if (
      FAULT_TRACE_KINDS.has(event.kind) &&
      (event.cause === undefined || index.note(event.cause) === undefined)
    )
      shown.add(seq);
    for (const n of index.notesOf(seq)) if (relevant(n) && n.seq !== undefined) work.push(n.seq);
    if (event.cause !== undefined) work.push(event.cause);
  }
  const steps = capped(stepsOf(onChain, shown, key, index, input));
  return { invariant: violation.invariant, atMs: violation.atMs, steps };
}

function worded(said: string | undefined, text: string, isKey: boolean): { text: string; worded?: true } {
  if (said !== undefined) return { text: said, worded: true };
  return isKey ? { text, worded: true } : { text };
}

/** Whether `text` has one of `values` as a word. */
function namesAny(text: string, values: ReadonlySet<string>): boolean {
  return words(text).some((word) => values.has(word));
}

function words(text: string): string[] {
  return text.split(/[\s,:;"'[\]{}()]+/);
}

function latestNaming(notes: readonly Note[], entity: string, value: string, atUs: number): Note | undefined {
  for (let i = notes.length - 1; i >= 0; i--) {
    const n = notes[i]!;
    if (n.atUs <= atUs && n.entities[entity] === value) return n;
  }
  return undefined;
}

/** The chain in the order it ran: shown steps as lines, runs of routine steps between them folded. */
/** A step while pruning: `worded` marks one the system worded (its decisive step) or a fact read. */
type DraftStep = WhyStep & { readonly worded?: true };

function stepsOf(
  onChain: Set<number>,
  shown: Set<number>,
  key: Set<number>,
  index: WhyIndex,
  input: WhyInput,
): DraftStep[] {
  const routine = input.model.routine ?? {};
  const steps: DraftStep[] = [];
  let fold: { atUs: number; node: string; word: string; count: number } | null = null;
  const flush = (): void => {
    if (fold === null) return;
    // One routine step between two noted ones says nothing a fold would.
    if (fold.count > 1)
      steps.push({
        atUs: fold.atUs,
        node: fold.node,
        text: `… ${fold.count} ${fold.word} …`,
        folded: fold.count,
      });
    fold = null;
  };
  for (const seq of [...onChain].sort((a, b) => a - b)) {
    const note = index.note(seq);
    if (note !== undefined) {
      if (!shown.has(seq)) continue;
      flush();
      steps.push({
        atUs: note.atUs,
        node: note.node,
        ...worded(input.model.say?.(note, input.variant), note.text, key.has(seq)),
        seq,
        kind: note.node === SCENARIO_NODE ? (note.text.split(' ')[0] ?? note.category) : note.category,
      });
      continue;
    }
    const event = index.event(seq);
    if (event === undefined) continue;
    if (shown.has(seq)) {
      flush();
      steps.push({
        atUs: event.atUs,
        node: event.node,
        text: `${event.type} ${event.node}`,
        seq,
        kind: event.type,
      });
      continue;
    }
    const word = routine[event.type];
    if (word === undefined) continue; // a plain hop between two noted steps
    if (fold !== null && fold.word === word) fold.count++;
    else {
      flush();
      fold = { atUs: event.atUs, node: event.node, word, count: 1 };
    }
  }
  flush();
  return steps;
}

/**
 * At most WHY_LINES_MAX lines: the earliest plain notes go first, then folds; the scenario's
 * steps, the system's worded (decisive) steps and the last step (the violating fact) stay.
 */
function capped(steps: DraftStep[]): WhyStep[] {
  const last = steps[steps.length - 1];
  let excess = steps.length - WHY_LINES_MAX;
  const plain = (s: DraftStep): boolean =>
    s !== last && s.node !== SCENARIO_NODE && s.worded !== true && s.folded === undefined;
  let kept = steps.filter((s) => {
    if (excess <= 0 || !plain(s)) return true;
    excess--;
    return false;
  });
  if (excess > 0) kept = kept.filter((s) => s.folded === undefined || excess-- <= 0);
  return kept.map(({ worded: _worded, ...rest }) => rest);
}
