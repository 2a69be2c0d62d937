import type { Simulation } from '../engine/index.js';
import { msToUs } from '../engine/index.js';
import type { CoverageSpec } from '../systems/system-model.js';

/** Sim time between two looks at the abstract states: a burst of events at one moment is one look. */
const LOOK_EVERY_MS = 100;

/**
 * Records the coverage points one run reaches: `kind state` for each abstract state an entity
 * was seen in, `kind from > to` for each transition. Looks after events (as a safety check
 * that never fails, so the trace and the verdicts are those of a run without it).
 */
export function installCoverage(sim: Simulation, view: unknown, spec: CoverageSpec): () => RunCoverage {
  const last = new Map<string, string>();
  const points = new Set<string>();
  const changesMs: number[] = [];
  let nextUs = 0;
  const look = (): void => {
    let fresh = false;
    for (const [kind, id, state] of spec.observe(view)) {
      const key = `${kind}\u0000${id}`;
      const before = last.get(key);
      if (before === state) continue;
      last.set(key, state);
      const size = points.size;
      points.add(`${kind} ${state}`);
      if (before !== undefined) points.add(`${kind} ${before} > ${state}`);
      fresh ||= points.size > size;
    }
    if (fresh && changesMs.length < CHANGES_KEPT) changesMs.push(Math.floor(sim.now() / 1000));
  };
  sim.addSafety({
    id: 'coverage-observer',
    check: (nowUs) => {
      if (nowUs >= nextUs) {
        nextUs = nowUs + msToUs(LOOK_EVERY_MS);
        look();
      }
      return null;
    },
  });
  return () => {
    look();
    return { points: [...points].sort(), changesMs };
  };
}

/** Moments kept per run where it first reached a point (where coverage search aims new faults). */
const CHANGES_KEPT = 64;

export interface RunCoverage {
  readonly points: readonly string[];
  /** Sim ms at which the run first reached a point of its own, in time order (at most 64). */
  readonly changesMs: readonly number[];
}

/** A campaign's coverage: every point with the seed that reached it first, and the plateau curve. */
export interface CoverageSummary {
  /** Points (states and transitions) reached. */
  readonly points: number;
  readonly states: { readonly covered: number; readonly declared: number };
  readonly transitions: number;
  /** Declared states no seed reached, by kind. */
  readonly neverReached: Readonly<Record<string, readonly string[]>>;
  /** New points per block of `plateauBlock` seeds, in seed order: flat = a plateau. */
  readonly plateau: readonly number[];
  readonly plateauBlock: number;
}

export class CoverageTally {
  private readonly firstAt = new Map<string, number>();
  private readonly perBlock: number[] = [];
  constructor(
    private readonly spec: CoverageSpec,
    readonly plateauBlock = 1000,
  ) {}

  /** Adds the points of the `index`-th seed run (0-based, seed order); returns how many were new. */
  add(index: number, points: readonly string[]): number {
    let fresh = 0;
    for (const p of points)
      if (!this.firstAt.has(p)) {
        this.firstAt.set(p, index);
        fresh++;
      }
    const block = Math.floor(index / this.plateauBlock);
    while (this.perBlock.length <= block) this.perBlock.push(0);
    this.perBlock[block] = (this.perBlock[block] as number) + fresh;
    return fresh;
  }

  has(point: string): boolean {
    return this.firstAt.has(point);
  }

  summary(): CoverageSummary {
    const neverReached: Record<string, string[]> = {};
    let covered = 0;
    let declared = 0;
    for (const [kind, states] of Object.entries(this.spec.states)) {
      declared += states.length;
      const missing = states.filter((s) => !this.firstAt.has(`${kind} ${s}`));
      covered += states.length - missing.length;
      if (missing.length > 0) neverReached[kind] = missing;
    }
    const transitions = [...this.firstAt.keys()].filter((p) => p.includes(' > ')).length;
    return {
      points: this.firstAt.size,
      states: { covered, declared },
      transitions,
      neverReached,
      plateau: [...this.perBlock],
      plateauBlock: this.plateauBlock,
    };
  }
}
