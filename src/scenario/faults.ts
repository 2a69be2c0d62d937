import { assert, Rng } from '../engine/index.js';
import type { FaultKind, PlanStep, SystemModel } from '../systems/system-model.js';
import type { FaultsSpec } from './types.js';

/** Fault kinds in the order they are drawn and listed (part of determinism: never reorder). */
export const FAULT_KINDS = ['crash', 'drop', 'partition', 'pause', 'messageDelay'] as const;

export interface DrawnFaults {
  readonly steps: PlanStep[];
  readonly messageDelayMs: readonly [number, number];
  readonly faultsOff: string[];
  /** Config values drawn from `faults.config` ranges (a swarm-switched key is left out). */
  readonly config: Record<string, number>;
}

/** Hard cap on draws per kind; the loader already limits duration / every to 10 000. */
const DRAWS_MAX = 1_000_000;

/**
 * Materialises `faults:` into concrete steps, deterministically from (seed, 'faults/<kind>').
 * Each kind has its own stream, so adding a kind never shifts another kind's draws.
 *
 * Gaps between faults of a kind are uniform in [0, 2·every] (mean = every) over
 * [0, duration − quiet) (quiet defaults to a quarter of the duration: see FaultsSpec.quietMs);
 * the target is drawn from `model.faultTargets(cluster, kind)`. Every draw (target, repair delay)
 * is made even when the fault is then skipped, so one skip never shifts the later draws.
 *
 * Skips, to avoid steps the system would find nonsensical (simple per-kind bookkeeping; the
 * scripted timeline is not consulted):
 * - crash: skipped on a node this fault kind already has down (crashed, restart not yet due);
 * - drop: skipped on a node whose previous drop has not reconnected yet;
 * - partition: skipped on a node still partitioned by this fault kind;
 * - pause: skipped on a node still paused by this fault kind.
 * A repair step (restart, heal, reconnect) that would fall at or after the end is left out: the
 * node stays faulty to the end.
 *
 * Then the system's own kinds (SystemModel.faults, stream `faults/<name>`, skipped while the
 * target is still in a fault of that kind) and the `config` ranges (stream `faults/config/<key>`).
 */
export function drawFaults(
  faults: FaultsSpec | undefined,
  options: { model: SystemModel; cluster: unknown; seed: number; durationMs: number },
): DrawnFaults {
  const result: DrawnFaults = { steps: [], messageDelayMs: [0, 0], faultsOff: [], config: {} };
  if (faults === undefined) return result;
  const present: string[] = FAULT_KINDS.filter((kind) =>
    kind === 'messageDelay' ? faults.messageDelayMs !== undefined : faults[kind] !== undefined,
  );
  // System kinds and config ranges come after the generic kinds, so adding them to a file never
  // changes the swarm draws of the kinds it had.
  const systemKinds = (options.model.faults ?? []).filter((f) => faults.system?.[f.name] !== undefined);
  present.push(...systemKinds.map((f) => f.name));
  const configKeys = options.model.config.filter((c) => faults.config?.[c.key] !== undefined);
  present.push(...configKeys.map((c) => `config.${c.key}`));
  const off = new Set<string>();
  if (faults.swarm === true) {
    const swarm = new Rng(options.seed, 'faults/swarm');
    for (const kind of present) if (swarm.chance(0.5)) off.add(kind);
  }
  result.faultsOff.push(...present.filter((k) => off.has(k)));
  const on = (kind: string): boolean => present.includes(kind) && !off.has(kind);

  const { model, cluster, seed, durationMs } = options;
  // Faults start only before the quiet stretch: liveness is judged once they have stopped.
  const lastStartMs = durationMs - (faults.quietMs ?? Math.floor(durationMs / 4));
  const eachOf = (
    kind: string,
    targets: readonly string[],
    everyMs: number,
    draw: (rng: Rng, atMs: number, target: string) => void,
  ): void => {
    const rng = new Rng(seed, `faults/${kind}`);
    assert(targets.length > 0, 'a fault kind in use has targets (the loader checks it)', { kind });
    let atMs = 0;
    for (let i = 0; i < DRAWS_MAX; i++) {
      atMs += rng.intInclusive(0, 2 * everyMs);
      if (atMs >= lastStartMs) return;
      draw(rng, atMs, rng.pick(targets));
    }
    assert(false, 'fault draws stay under their cap', { kind, everyMs, durationMs });
  };
  const each = (
    kind: FaultKind,
    everyMs: number,
    draw: (rng: Rng, atMs: number, target: string) => void,
  ): void => eachOf(kind, model.faultTargets(cluster, kind), everyMs, draw);
  const drawIn = (rng: Rng, range: readonly [number, number] | undefined): number | null =>
    range === undefined ? null : rng.intInclusive(range[0], range[1]);
  const origin = (kind: string): string => `faults.${kind}`;

  if (on('crash') && faults.crash !== undefined) {
    const spec = faults.crash;
    const downUntil = new Map<string, number>();
    each('crash', spec.everyMs, (rng, atMs, node) => {
      const restartAfterMs = drawIn(rng, spec.restartAfterMs);
      if ((downUntil.get(node) ?? -1) >= atMs) return;
      result.steps.push({ atMs, action: 'crash', args: node, origin: origin('crash') });
      const restartAtMs = restartAfterMs === null ? Number.POSITIVE_INFINITY : atMs + restartAfterMs;
      downUntil.set(node, restartAtMs);
      if (restartAtMs < durationMs)
        result.steps.push({ atMs: restartAtMs, action: 'restart', args: node, origin: origin('crash') });
    });
  }
  if (on('drop') && faults.drop !== undefined && model.dropSteps !== undefined) {
    const spec = faults.drop;
    const dropSteps = model.dropSteps.bind(model);
    const droppedUntil = new Map<string, number>();
    each('drop', spec.everyMs, (rng, atMs, node) => {
      const reconnectAfterMs = drawIn(rng, spec.reconnectAfterMs);
      if ((droppedUntil.get(node) ?? -1) >= atMs) return;
      droppedUntil.set(node, reconnectAfterMs === null ? Number.POSITIVE_INFINITY : atMs + reconnectAfterMs);
      const steps = dropSteps(node, atMs, reconnectAfterMs).filter((s) => s.atMs < durationMs);
      for (const step of steps) result.steps.push({ ...step, origin: step.origin ?? origin('drop') });
    });
  }
  if (on('partition') && faults.partition !== undefined) {
    const spec = faults.partition;
    const cutUntil = new Map<string, number>();
    each('partition', spec.everyMs, (rng, atMs, node) => {
      const forMs = rng.intInclusive(spec.forMs[0], spec.forMs[1]);
      if ((cutUntil.get(node) ?? -1) >= atMs) return;
      cutUntil.set(node, atMs + forMs);
      result.steps.push({ atMs, action: 'partition', args: [node], origin: origin('partition') });
      if (atMs + forMs < durationMs)
        result.steps.push({ atMs: atMs + forMs, action: 'heal', args: [node], origin: origin('partition') });
    });
  }
  if (on('pause') && faults.pause !== undefined) {
    const spec = faults.pause;
    const pausedUntil = new Map<string, number>();
    each('pause', spec.everyMs, (rng, atMs, node) => {
      const forMs = rng.intInclusive(spec.forMs[0], spec.forMs[1]);
      if ((pausedUntil.get(node) ?? -1) >= atMs) return;
      pausedUntil.set(node, atMs + forMs);
      result.steps.push({ atMs, action: 'pause', args: { node, forMs }, origin: origin('pause') });
    });
  }
  if (on('messageDelay') && faults.messageDelayMs !== undefined) {
    (result as { messageDelayMs: readonly [number, number] }).messageDelayMs = faults.messageDelayMs;
  }
  for (const spec of systemKinds) {
    const rate = faults.system?.[spec.name];
    if (rate === undefined || !on(spec.name)) continue;
    const busyUntil = new Map<string, number>();
    let serial = 0;
    eachOf(spec.name, spec.targets(cluster), rate.everyMs, (rng, atMs, target) => {
      const forMs = drawIn(rng, rate.forMs);
      const byMs = drawIn(rng, rate.byMs);
      if ((busyUntil.get(target) ?? -1) >= atMs) return;
      const drawn = spec.steps({ atMs, target, forMs, byMs, serial: ++serial });
      const lastMs = Math.max(atMs, ...drawn.steps.map((s) => s.atMs));
      busyUntil.set(target, drawn.untilMs ?? lastMs);
      for (const step of drawn.steps)
        if (step.atMs < durationMs) result.steps.push({ ...step, origin: step.origin ?? origin(spec.name) });
    });
  }
  for (const spec of configKeys) {
    const range = faults.config?.[spec.key];
    if (range === undefined) continue;
    // Drawn even when swarm leaves the key alone, so a switch never shifts another key's value.
    const rng = new Rng(seed, `faults/config/${spec.key}`);
    const value =
      spec.kind === 'number'
        ? Math.round((range[0] + rng.uniform() * (range[1] - range[0])) * 1000) / 1000
        : rng.intInclusive(range[0], range[1]);
    if (on(`config.${spec.key}`)) result.config[spec.key] = value;
  }
  return result;
}
