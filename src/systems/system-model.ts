import type { z } from 'zod';
import type { Simulation } from '../engine/index.js';
import type { Invariant } from './invariant.js';
import type { WhyModel } from './why-model.js';

export type { Invariant } from './invariant.js';

/**
 * The one interface a system under test implements. The engine, the scenario loader, the CLI and
 * the explorer only ever see this; a new system is one new folder under src/systems/ plus one
 * line in registry.ts.
 */
export interface SystemModel<Cluster = unknown, View = unknown> {
  readonly id: string;
  /** One line for `clustersim list systems`. */
  readonly meaning: string;
  /** Node name of the control plane (`control-plane`, `aggregator`). */
  readonly controlPlaneNode: string;
  readonly defaultVariant: string;
  /** Base variants; `checkVariant` decides which combinations (`a+b`) are valid. */
  readonly variants: readonly VariantSpec[];
  /**
   * Every invariant, once: id, kind, meaning and its judgement over the view `build` returns.
   * The runner installs them all (safety checked after each event, liveness at the end).
   */
  readonly invariants: readonly Invariant<View>[];
  /** Every `config` key (and `--set` switch), with its default: the one place defaults live. */
  readonly config: readonly ConfigKeySpec[];
  /** System-specific timeline actions (generic ones — crash, restart, pause, partition, heal — are the loader's). */
  readonly actions: readonly ActionSpec[];
  /**
   * The `check` step's vocabulary (facts of the system's state a scenario can assert at a moment,
   * listed by `clustersim list checks`); empty when the system has none yet.
   */
  readonly checks?: readonly CheckSpec[];
  /** How its violations explain themselves (`why`, issue #16); without it, the generic walk alone. */
  readonly why?: WhyModel;
  /** Zod schema of `cluster:`; must reject unknown keys (use z.strictObject). */
  readonly clusterSchema: z.ZodType<Cluster>;

  /** null when valid, else what is wrong and what is allowed. Accepts `a+b` combinations. */
  checkVariant(variant: string): string | null;
  /**
   * Config values a variant (preset) sets over the defaults; the file and `--set` still override
   * them. Systems whose variants are code deltas rather than settings leave it out.
   */
  variantConfig?(variant: string): Readonly<Record<string, ConfigValue>>;
  /** Every node of the cluster, in a stable order (it is part of the trace). */
  nodes(cluster: Cluster): readonly string[];
  /** Nodes a randomized fault of this kind may hit (usually not the control plane). */
  faultTargets(cluster: Cluster, kind: FaultKind): readonly string[];
  /**
   * Cross-reference checks of a system action against the cluster (unknown operator, job, …).
   * null when fine, else a message naming what is allowed.
   */
  checkAction?(action: string, args: unknown, cluster: Cluster): string | null;
  /**
   * Cross-reference checks of a `check` step against the cluster and the timeline's other steps
   * (unknown executor, job, worker). null when fine, else a message naming what is allowed.
   */
  crossCheck?(check: string, args: unknown, cluster: Cluster, steps: readonly PlanStep[]): string | null;
  /**
   * Concrete timeline steps for a drawn `drop` fault (ava: silent transport drop, then a
   * reconnect). Systems without the fault kind leave it out and the loader rejects `faults.drop`.
   */
  dropSteps?(target: string, atMs: number, reconnectAfterMs: number | null): PlanStep[];
  /**
   * Fault kinds of this system that `faults:` can draw at a rate, beyond the generic ones
   * (failover, a duplicate process under a live id, the loss of one message kind, …). Each draw
   * becomes plain timeline steps of the system's own actions, so a repro replays it. Optional.
   */
  readonly faults?: readonly SystemFaultSpec<Cluster>[];
  /**
   * Domain coverage for exploration: abstract states per entity, read from the view only (never
   * from a model hook), sampled after events. Optional.
   */
  readonly coverage?: CoverageSpec<View>;
  /**
   * Optional, for `clustersim shrink`: smaller variants of a `cluster:` mapping as written in a
   * file (one executor, job, stage worker, operator or task fewer), each valid input, smallest
   * first. Without it, shrink falls back to a structural guess (drop one list item, lower one
   * integer) and keeps only candidates the loader accepts.
   */
  shrinkCluster?(clusterSource: unknown): unknown[];
  /**
   * Builds actors on a fresh simulation (define nodes, spawn factories, the view); the runner
   * then installs `invariants` over the instance's view and starts it.
   */
  build(sim: Simulation, setup: SystemSetup<Cluster>): SystemInstance<View>;
}

export interface SystemSetup<Cluster = unknown> {
  readonly cluster: Cluster;
  /** Resolved config: durations in ms, switches as their values. */
  readonly config: Readonly<Record<string, ConfigValue>>;
  /** The variant expression, e.g. `fix-1a-merged+fix-3`. */
  readonly variant: string;
  readonly seed: number;
}

export interface SystemInstance<View = unknown> {
  /**
   * The read-only view the invariants judge: the system's actors' own state (found through the
   * simulation), plus the ground truth no actor holds. Nothing a model decides reads it.
   */
  readonly view: View;
  /** Applies a system-specific action now (submit, failover, connect, drop, …). */
  applyAction(action: string, args: unknown): void;
  /**
   * Generic actions the system must see too (a graceful `shutdown` is system-specific; a crash
   * needs no help). Called before the engine applies a generic crash/restart of a node.
   */
  beforeGeneric?(action: GenericActionName, node: string): void;
  /**
   * System metrics for `run --json` `metrics` (messages are added by the runner). The keys of
   * `CostMetrics`, when a system has them, sit at the top level so `compare` can read them.
   */
  metrics(): Record<string, unknown> & Partial<CostMetrics>;
  /**
   * Judges one `check` step now (its args are the check schema's output), reading the actors'
   * own state. Systems without a vocabulary leave it out.
   */
  evaluateCheck?(check: string, args: unknown): CheckVerdict;
  /**
   * The system's view now, as plain JSON (`run --json` `state`, at the end and at each check):
   * what each component believes, read from the actors themselves.
   */
  state?(): Record<string, unknown>;
}

/** What a check found: whether it holds, and both sides in words for the message. */
export interface CheckVerdict {
  readonly holds: boolean;
  /** The fact as the step states it, e.g. `the RC holds TE-1 as Running(A-1-0)`. */
  readonly expected: string;
  /** What the system holds instead (or the same fact, when it holds), e.g. `Pending`. */
  readonly actual: string;
}

/** One fact of the `check` vocabulary, e.g. `rc` (what the RC holds for a TE). */
export interface CheckSpec {
  /** The key naming the subject in the step: `check: { rc: TE-1, is: Pending }`. */
  readonly name: string;
  readonly meaning: string;
  /** Schema of the whole mapping (the name key included, `variants` excluded). Reject unknown keys. */
  readonly schema: z.ZodType;
  /** A one-line YAML example for `list checks` and help. */
  readonly example: string;
}

/** What a fix costs, in the units `compare` tabulates (spec: "what each costs"). */
export interface CostMetrics {
  /** Reconnections of the thing that flaps (Mantis: TE restarts seen; Ava: operator reconnects). */
  readonly reconnections: number;
  /** Messages that exist only to handle reconnections (Mantis: the fix's notifications). */
  readonly fixMessages: number;
  /** Mean time from a restart until the executor is usable again, ms (null: no restart). */
  readonly recyclingDelayMs: number | null;
}

export type ConfigValue = number | boolean | string;

export interface ConfigKeySpec {
  readonly key: string;
  /**
   * `duration`: ms in the resolved config, written as a duration in files and `--set`. `text`: a
   * string matching `pattern` (e.g. upstream's `5:10:20`).
   */
  readonly kind: 'duration' | 'integer' | 'number' | 'boolean' | 'enum' | 'text';
  /** `text`: the regular expression (source) a value must match, and what it means in words. */
  readonly pattern?: { readonly source: string; readonly help: string };
  readonly default: ConfigValue;
  /** Allowed values of an `enum`. */
  readonly values?: readonly string[];
  /** Inclusive bounds of a number, integer or duration (ms). */
  readonly min?: number;
  readonly max?: number;
  readonly meaning: string;
}

export interface ActionSpec {
  readonly name: string;
  readonly meaning: string;
  /** Schema of the action's value, e.g. `submit: { id, stages }`. Reject unknown keys. */
  readonly schema: z.ZodType;
  /** A one-line YAML example for `list actions` and help. */
  readonly example: string;
}

export interface VariantSpec {
  readonly id: string;
  readonly meaning: string;
}

export type FaultKind = 'crash' | 'drop' | 'partition' | 'pause';

/**
 * A system's abstract states for coverage-guided exploration. Each entity (a TE, a worker, an
 * operator) has a small abstract state; a run records which states and which state-to-state
 * transitions of each entity kind it reached (entity names are abstracted away).
 */
export interface CoverageSpec<View = unknown> {
  /** Every abstract state of each entity kind, so a report can name the ones never reached. */
  readonly states: Readonly<Record<string, readonly string[]>>;
  /** Each entity's abstract state now: [kind, entity id, state]; the state is one of `states[kind]`. */
  observe(view: View): Iterable<readonly [kind: string, id: string, state: string]>;
}

/** The ranges a system fault may take besides `every` (drawn per fault, uniform, whole ms). */
export type SystemFaultRange = 'for' | 'by';

/**
 * One system fault kind for `faults:` (`faults: { failover: { every: 5m } }`). Its stream is
 * `faults/<name>`; the target and each range are drawn even when the fault is then skipped.
 */
export interface SystemFaultSpec<Cluster = unknown> {
  /** Its key under `faults:`; distinct from the generic kinds. */
  readonly name: string;
  readonly meaning: string;
  /** A one-line YAML example for `list faults`. */
  readonly example: string;
  /** Ranges it takes (`for: [min, max]`), and which of them must be given. */
  readonly ranges: readonly SystemFaultRange[];
  readonly required?: readonly SystemFaultRange[];
  /** What the draw may hit (nodes, tasks, …); empty: the loader rejects the key for this cluster. */
  targets(cluster: Cluster): readonly string[];
  /**
   * The steps of one draw (the first at `atMs`), as the system's actions with input-shaped args.
   * `serial` counts this kind's draws from 1, for fresh ids (a submitted job, a created task).
   * While a draw's `until` (default: its last step) is not past, the same target is skipped.
   */
  steps(draw: SystemFaultDraw): { readonly steps: PlanStep[]; readonly untilMs?: number };
}

export interface SystemFaultDraw {
  readonly atMs: number;
  readonly target: string;
  /** The drawn `for` / `by`, or null when the file gives no such range. */
  readonly forMs: number | null;
  readonly byMs: number | null;
  readonly serial: number;
}
export type GenericActionName = 'crash' | 'restart' | 'pause' | 'partition' | 'heal';

/** One concrete step of a run plan: at a time, one action with its (validated) value. */
export interface PlanStep {
  readonly atMs: number;
  readonly action: string;
  readonly args: unknown;
  /** Where it came from: a file position, or the fault that drew it. */
  readonly origin?: string;
}
