import type { Micros } from './time.js';

/** Kinds of canonical trace records. Codes are part of the hash: never renumber. */
export const TraceKind = {
  Deliver: 1,
  Timer: 2,
  Drop: 3,
  Crash: 4,
  Restart: 5,
  Pause: 6,
  Resume: 7,
  Partition: 8,
  Heal: 9,
  Note: 10,
  // 11 was Action, never folded: retired, not reused.
  Violation: 12,
  Link: 13,
} as const;
export type TraceKindCode = (typeof TraceKind)[keyof typeof TraceKind];

/** The kinds a fault step records on a node (a crash, a pause, a partition, …). */
export const FAULT_TRACE_KINDS: ReadonlySet<number> = new Set([
  TraceKind.Crash,
  TraceKind.Restart,
  TraceKind.Pause,
  TraceKind.Resume,
  TraceKind.Partition,
  TraceKind.Heal,
]);

/** Why a message never arrived. */
export type DropReason =
  'cut' | 'random' | 'dead' | 'stale-incarnation' | 'half-open' | 'closed' | 'no-actor';

/** One captured record; only kept when a report asks for full capture. */
export interface TraceRecord {
  readonly atUs: Micros;
  readonly kind: TraceKindCode;
  /** Node the record happens on (receiver for deliveries). */
  readonly node: string;
  readonly actor?: string;
  /** Message or timer type, fault name, or note category. */
  readonly type: string;
  readonly fromNode?: string;
  readonly fromActor?: string;
  readonly fromIncarnation?: number;
  readonly sentAtUs?: Micros;
  readonly detail?: string;
  /** This event's id: the order it ran in (fault steps and notes get one too). */
  readonly seq?: number;
  /** The id of the event whose handler caused this one (sent the message, set the timer); absent for a root (a fault step, the start). */
  readonly cause?: number;
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Incremental 64-bit hash (two 32-bit lanes, murmur-style mixing) of the canonical event log.
 * Strings are hashed once and cached, so folding a record costs a few integer multiplies.
 */
export class TraceHasher {
  private h1 = 0x9e3779b9 | 0;
  private h2 = 0x85ebca6b | 0;
  private readonly stringCache = new Map<string, number>();
  records = 0;

  foldInt(value: number): void {
    // Split into two 32-bit halves so values above 2^32 (µs timestamps) hash fully.
    const lo = value >>> 0;
    const hi = Math.floor(value / 0x1_0000_0000) >>> 0;
    this.mix(lo);
    this.mix(hi);
  }

  /** Message and timer types: few distinct strings, seen millions of times, so cached. */
  foldString(text: string): void {
    let h = this.stringCache.get(text);
    if (h === undefined) {
      h = fnv1a(text);
      this.stringCache.set(text, h);
    }
    this.mix(h);
  }

  /** Free text (note lines): mostly unique, so hashed directly; caching would only grow the map. */
  foldText(text: string): void {
    this.mix(fnv1a(text));
  }

  /** Hot path: one record of (kind, time, a, b, type). */
  fold(kind: number, atUs: Micros, a: number, b: number, type: string): void {
    this.records++;
    this.mix(kind);
    this.foldInt(atUs);
    this.mix(a);
    this.mix(b);
    this.foldString(type);
  }

  /**
   * A delivery: the sender's actor and incarnation are folded as two words, so no number of
   * restarts makes one sender's record look like another's.
   */
  foldDeliver(atUs: Micros, target: number, fromRef: number, fromIncarnation: number, type: string): void {
    this.fold(TraceKind.Deliver, atUs, target, fromRef, type);
    this.mix(fromIncarnation);
  }

  private mix(value: number): void {
    let k = Math.imul(value | 0, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    this.h1 ^= k;
    this.h1 = (this.h1 << 13) | (this.h1 >>> 19);
    this.h1 = (Math.imul(this.h1, 5) + 0xe6546b64) | 0;
    this.h2 = (Math.imul(this.h2 ^ k, 0x85ebca6b) + this.h1) | 0;
  }

  digest(): string {
    let a = this.h1 ^ this.records;
    let b = this.h2 ^ Math.imul(this.records, 0x27d4eb2d);
    a = Math.imul(a ^ (a >>> 16), 0x85ebca6b);
    a = Math.imul(a ^ (a >>> 13), 0xc2b2ae35);
    a ^= a >>> 16;
    b = Math.imul(b ^ (b >>> 16), 0x85ebca6b);
    b = Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
    b ^= b >>> 16;
    return (a >>> 0).toString(16).padStart(8, '0') + ((b ^ a) >>> 0).toString(16).padStart(8, '0');
  }
}

/** Keeps full records up to a cap; past it, counts what it dropped (bounded memory). */
export class TraceCapture {
  readonly records: TraceRecord[] = [];
  truncated = 0;

  constructor(readonly limit: number) {}

  add(record: TraceRecord): void {
    if (this.records.length < this.limit) this.records.push(record);
    else this.truncated++;
  }
}
