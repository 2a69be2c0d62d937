import type { Micros } from './time.js';
import { US_PER_MS, US_PER_S } from './time.js';

/** What a broken invariant says: one sentence, plus the ids involved (job, TE, consumer, …). */
export interface ViolationDetail {
  readonly message: string;
  readonly entities?: Readonly<Record<string, string>>;
}

/** Checked after every event; must be cheap (read indexes the model keeps, do not scan). */
export interface SafetyInvariant {
  readonly id: string;
  check(nowUs: Micros): ViolationDetail | null;
}

/** Judged once, at the end of the run. */
export interface LivenessInvariant {
  readonly id: string;
  judge(endUs: Micros): ViolationDetail | null;
}

export interface ViolationEpisode {
  readonly startMs: number;
  endMs: number | null;
  readonly message: string;
  readonly entities: Readonly<Record<string, string>>;
}

/** One entry per violated invariant, as `run --json` prints it (CONTRACT §4), plus detail. */
export interface Violation {
  readonly invariant: string;
  readonly kind: 'safety' | 'liveness';
  readonly atMs: number;
  /** Episodes: how many times the invariant went from holding to broken. */
  count: number;
  readonly message: string;
  readonly entities: Readonly<Record<string, string>>;
  /** Total simulated seconds spent broken (safety); 0 for liveness. */
  violationSeconds: number;
  readonly episodes: ViolationEpisode[];
  /** The id (TraceRecord.seq) of the event after which it first broke; absent when no event did (a sampled or liveness check). */
  readonly seq?: number;
}

const EPISODES_KEPT = 200;

/** Tracks, per invariant, whether it is broken now, its episodes and its broken time. */
export class ViolationRecorder {
  private readonly byId = new Map<string, Violation>();
  private readonly activeSinceUs = new Map<string, Micros>();
  /** Per invariant, the whole µs it spent broken: summed exactly, so `violationSeconds` is one division. */
  private readonly brokenUs = new Map<string, Micros>();

  /** Called after each event with the invariant's current verdict. Returns true on a new episode. */
  observe(id: string, detail: ViolationDetail | null, nowUs: Micros, seq = 0): boolean {
    const since = this.activeSinceUs.get(id);
    if (detail === null) {
      if (since !== undefined) this.close(id, since, nowUs);
      return false;
    }
    if (since !== undefined) return false;
    this.activeSinceUs.set(id, nowUs);
    let violation = this.byId.get(id);
    const entities = detail.entities ?? {};
    if (violation === undefined) {
      violation = {
        invariant: id,
        kind: 'safety',
        atMs: nowUs / US_PER_MS,
        count: 0,
        message: detail.message,
        entities,
        violationSeconds: 0,
        episodes: [],
        ...(seq !== 0 ? { seq } : {}),
      };
      this.byId.set(id, violation);
    }
    violation.count++;
    if (violation.episodes.length < EPISODES_KEPT) {
      violation.episodes.push({ startMs: nowUs / US_PER_MS, endMs: null, message: detail.message, entities });
    }
    return true;
  }

  recordLiveness(id: string, detail: ViolationDetail, endUs: Micros): void {
    const entities = detail.entities ?? {};
    this.byId.set(id, {
      invariant: id,
      kind: 'liveness',
      atMs: endUs / US_PER_MS,
      count: 1,
      message: detail.message,
      entities,
      violationSeconds: 0,
      episodes: [{ startMs: endUs / US_PER_MS, endMs: null, message: detail.message, entities }],
    });
  }

  /** Closes open episodes at the end of the run so violation-seconds count up to it. */
  finish(endUs: Micros): void {
    for (const [id, since] of [...this.activeSinceUs]) this.close(id, since, endUs, true);
  }

  /** Violations in order of first occurrence. */
  list(): Violation[] {
    return [...this.byId.values()].sort((a, b) => a.atMs - b.atMs || (a.invariant < b.invariant ? -1 : 1));
  }

  private close(id: string, sinceUs: Micros, nowUs: Micros, stillOpen = false): void {
    this.activeSinceUs.delete(id);
    const violation = this.byId.get(id);
    if (violation === undefined) return;
    const brokenUs = (this.brokenUs.get(id) ?? 0) + (nowUs - sinceUs);
    this.brokenUs.set(id, brokenUs);
    violation.violationSeconds = brokenUs / US_PER_S;
    const last = violation.episodes[violation.episodes.length - 1];
    if (last !== undefined && last.endMs === null && !stillOpen) last.endMs = nowUs / US_PER_MS;
  }
}
