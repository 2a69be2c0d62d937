import type { ConfigValue, PlanStep } from '../systems/system-model.js';

/** A scenario file after loading and validation (CONTRACT §3). Durations are in ms. */
export interface Scenario {
  /** Path it was loaded from, for messages; absent for scenarios built in code. */
  readonly file?: string;
  readonly name: string;
  readonly description?: string;
  readonly system: string;
  /**
   * The plug-in module (absolute path) when the file named one as `system: ./my-system.ts`;
   * written files name it again, so they load wherever they are replayed from.
   */
  readonly systemModule?: string;
  readonly variant?: string;
  readonly seed?: number;
  readonly durationMs: number;
  /** Only the keys the file set, validated and converted (durations in ms). */
  readonly config: Readonly<Record<string, ConfigValue>>;
  readonly network: NetworkSpec;
  /** Validated by the system's cluster schema (its parsed output). */
  readonly cluster: unknown;
  /**
   * The `cluster:` mapping as written in the file, before the system's schema converted it.
   * Writers (repro files, shrinking) emit this so a written file re-validates; absent for
   * scenarios built in code, where `cluster` is written instead.
   */
  readonly clusterSource?: unknown;
  readonly timeline: readonly PlanStep[];
  readonly faults?: FaultsSpec;
  readonly expect?: Readonly<Record<string, readonly string[]>>;
  /** Repro files store the hash they replayed to in the campaign; `run` checks it. */
  readonly traceHash?: string;
}

export interface NetworkSpec {
  readonly latencyMs: readonly [number, number];
  readonly drop: number;
  readonly duplicate: number;
  /** Extra delay per message on every run, uniform (a repro's drawn `faults.messageDelay`). */
  readonly messageDelayMs: readonly [number, number];
}

export const defaultNetworkSpec: NetworkSpec = {
  latencyMs: [1, 10],
  drop: 0,
  duplicate: 0,
  messageDelayMs: [0, 0],
};

/** `faults:` (CONTRACT §3). Gaps are mean gaps over the whole cluster. */
export interface FaultsSpec {
  readonly crash?: { readonly everyMs: number; readonly restartAfterMs?: readonly [number, number] };
  readonly drop?: { readonly everyMs: number; readonly reconnectAfterMs?: readonly [number, number] };
  readonly partition?: { readonly everyMs: number; readonly forMs: readonly [number, number] };
  readonly pause?: { readonly everyMs: number; readonly forMs: readonly [number, number] };
  readonly messageDelayMs?: readonly [number, number];
  /** The system's own fault kinds (SystemModel.faults), by name. */
  readonly system?: Readonly<Record<string, SystemFaultRate>>;
  /**
   * Timing config keys drawn per seed, uniform in [min, max] (durations in ms), each from its own
   * stream `faults/config/<key>`; the drawn values go into the plan's (and a repro's) config.
   */
  readonly config?: Readonly<Record<string, readonly [number, number]>>;
  readonly swarm?: boolean;
  /**
   * No fault starts in this last stretch (repairs may still land in it), so liveness invariants
   * are judged after the faults stop, as TigerBeetle's VOPR does. @defaultValue duration / 4
   */
  readonly quietMs?: number;
}

/** `faults.<system fault>`: mean gap, and the ranges the fault takes. */
export interface SystemFaultRate {
  readonly everyMs: number;
  readonly forMs?: readonly [number, number];
  readonly byMs?: readonly [number, number];
}

/** Everything one run needs, fully concrete: the same plan always runs to the same traceHash. */
export interface RunPlan {
  readonly scenario: Scenario;
  readonly variant: string;
  readonly seed: number;
  readonly durationMs: number;
  /** Defaults merged with the file's config and `--set`. */
  readonly config: Readonly<Record<string, ConfigValue>>;
  readonly network: NetworkSpec;
  readonly messageDelayMs: readonly [number, number];
  /** Timeline steps and materialised fault steps, stably sorted by time (file order on ties). */
  readonly steps: readonly PlanStep[];
  /** Fault kinds this seed switched off (swarm), for reports; `config.<key>` for a range left at its value. */
  readonly faultsOff: readonly string[];
}
