import { assert, assertNever, LimitError, msToUs, Simulation, US_PER_MS } from '../engine/index.js';
import type { RunPlan } from '../scenario/types.js';
import { installInvariants } from '../systems/invariant.js';
import { systemById } from '../systems/registry.js';
import type { GenericActionName, PlanStep, SystemInstance } from '../systems/system-model.js';
import type { LimitHit, RunLimits } from './limits.js';
import { DEFAULT_LIMITS, LIMIT_FLAGS } from './limits.js';
import type { CheckStepArgs } from '../scenario/check-step.js';
import { isCheckStep } from '../scenario/check-step.js';
import type { CheckResult, RunResult, StateView } from './result.js';
import { explainViolations } from './why.js';

export interface RunOptions {
  /** Keep up to this many full trace records (for `--trace`). @defaultValue 0 */
  readonly captureLimit?: number;
  /**
   * Stop as soon as every one of these invariants has been violated: nothing the run could still
   * do would change which of them it violates (fuzz counts each invariant a seed violates). A
   * liveness invariant is judged at the end, so a list holding one stops only there. Every
   * invariant is still checked after every event until then: a check may be the first to read
   * what an actor did (Ava's view notices a new connection when a check asks), so leaving one
   * out would move when the others judge.
   */
  readonly stopOnceViolated?: readonly string[];
  /** Where the run stops without a verdict (see RunLimits). @defaultValue DEFAULT_LIMITS */
  readonly limits?: Partial<RunLimits>;
  /** Keep the timeline's notes in the result (they are hashed either way). @defaultValue true */
  readonly keepNotes?: boolean;
  /** Read the system's state at the end into `state` (a campaign that drops it skips it). @defaultValue true */
  readonly keepState?: boolean;
  /**
   * Called on the fresh simulation after the system is built, before it starts. Exploration
   * hooks in here (PCT delivery priorities, stop at one invariant while shrinking); it must be
   * deterministic, like everything else in a run.
   */
  readonly instrument?: (sim: Simulation, view: unknown) => void;
  /**
   * Explain each violation (`why`, issue #16). Needs the causal trace: a run without a full
   * capture is run again with one (deterministic: same hash, else an internal error), so only
   * violating runs pay. @defaultValue false
   */
  readonly explain?: boolean;
}

/** Records kept for a `why` re-run; a run past it explains from what was kept. */
const WHY_CAPTURE_LIMIT = 2_000_000;

const GENERIC: ReadonlySet<string> = new Set<GenericActionName>([
  'crash',
  'restart',
  'pause',
  'partition',
  'heal',
]);

class StopRun extends Error {}

/** Runs one concrete plan: engine + system, steps at their times, checks, metrics (and `why`, if asked). */
export function runPlan(plan: RunPlan, options: RunOptions = {}): RunResult {
  const result = runOnce(plan, options);
  if (options.explain !== true || result.violations.length === 0) return result;
  const captured =
    result.trace !== undefined && result.trace.truncated === 0 && options.keepNotes !== false
      ? result
      : runOnce(plan, { ...options, captureLimit: WHY_CAPTURE_LIMIT, keepNotes: true });
  assert(captured.traceHash === result.traceHash, 'a run captured for its why replays the same trace', {
    first: result.traceHash,
    again: captured.traceHash,
  });
  const why = explainViolations(captured.violations, {
    records: captured.trace?.records ?? [],
    notes: captured.notes,
    variant: plan.variant,
    model: systemById(plan.scenario.system).why ?? {},
  });
  return { ...result, why };
}

function runOnce(plan: RunPlan, options: RunOptions): RunResult {
  const limits: RunLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const model = systemById(plan.scenario.system);
  const nodes = model.nodes(plan.scenario.cluster);
  const sim = new Simulation(
    {
      seed: plan.seed,
      network: {
        latencyUs: [msToUs(plan.network.latencyMs[0]), msToUs(plan.network.latencyMs[1])],
        dropProbability: plan.network.drop,
        duplicateProbability: plan.network.duplicate,
        extraDelayUs: [msToUs(plan.messageDelayMs[0]), msToUs(plan.messageDelayMs[1])],
      },
      ...(options.captureLimit !== undefined ? { captureLimit: options.captureLimit } : {}),
      maxEvents: limits.events,
      maxPending: limits.pendingEvents,
      ...(options.keepNotes === false ? { notesLimit: 0 } : {}),
    },
    nodes,
  );
  const instance = model.build(sim, {
    cluster: plan.scenario.cluster,
    config: plan.config,
    variant: plan.variant,
    seed: plan.seed,
  });
  installInvariants(sim, model.invariants, instance.view);
  const checks: CheckResult[] = [];
  const view = (): StateView => ({ atMs: sim.now() / US_PER_MS, view: instance.state?.() ?? {} });
  for (const step of plan.steps) {
    if (isCheckStep(step)) {
      // Read-only: no note, no message, so a check never changes the run or its trace hash.
      if (step.args.variants === null || step.args.variants.includes(plan.variant))
        sim.at(msToUs(step.atMs), () => checks.push(judgeCheck(instance, step, view())));
      continue;
    }
    sim.at(msToUs(step.atMs), () => applyStep(sim, instance, step));
  }
  options.instrument?.(sim, instance.view);
  let stoppedEarly: string | undefined;
  let limit: LimitHit | undefined;
  if (options.stopOnceViolated !== undefined) {
    const waiting = new Set(options.stopOnceViolated);
    sim.addViolationListener((id) => {
      if (waiting.delete(id) && waiting.size === 0) throw new StopRun(id);
    });
  }
  sim.startAll();
  try {
    if (plan.durationMs > limits.simulatedMs) {
      sim.runUntil(msToUs(limits.simulatedMs));
      limit = {
        kind: 'simulated-time',
        message: `simulated-time limit reached: the run is ${plan.durationMs / 1000}s long, the limit ${limits.simulatedMs / 1000}s (raise it with ${LIMIT_FLAGS['simulated-time']})`,
      };
      stoppedEarly = limit.message;
      sim.violations.finish(sim.now());
    } else {
      sim.runUntil(msToUs(plan.durationMs));
      sim.finish();
    }
  } catch (error) {
    if (error instanceof StopRun)
      stoppedEarly = `every invariant looked for was violated (the last: ${error.message})`;
    else if (error instanceof LimitError) {
      const kind = error.limit;
      limit = { kind, message: `${error.message}; raise the limit with ${LIMIT_FLAGS[kind]}` };
      stoppedEarly = limit.message;
    } else throw error;
    sim.violations.finish(sim.now());
  }
  const byType: Record<string, number> = {};
  // The getter builds a fresh map: read it once, not once per type.
  const sentByType = sim.messagesByType;
  for (const type of [...sentByType.keys()].sort()) byType[type] = sentByType.get(type) ?? 0;
  return {
    scenario: plan.scenario.name,
    system: model.id,
    variant: plan.variant,
    seed: plan.seed,
    simulatedMs: sim.now() / US_PER_MS,
    events: sim.eventsRun,
    traceHash: sim.traceHash(),
    violations: sim.violations.list(),
    metrics: {
      messages: { total: sim.messagesSent, dropped: sim.messagesDropped, byType },
      ...instance.metrics(),
    },
    notes: sim.notes,
    steps: plan.steps,
    faultsOff: plan.faultsOff,
    ...(sim.capture !== null
      ? { trace: { records: sim.capture.records, truncated: sim.capture.truncated } }
      : {}),
    ...(stoppedEarly !== undefined ? { stoppedEarly } : {}),
    ...(limit !== undefined ? { limit } : {}),
    checks,
    state: options.keepState === false ? { atMs: sim.now() / US_PER_MS, view: {} } : view(),
  };
}

function judgeCheck(
  instance: SystemInstance,
  step: PlanStep & { readonly args: CheckStepArgs },
  state: StateView,
): CheckResult {
  assert(instance.evaluateCheck !== undefined, 'a system with a check vocabulary can judge its checks', {
    check: step.args.check,
  });
  const verdict = instance.evaluateCheck(step.args.check, step.args.args);
  return {
    check: step.args.check,
    origin: step.origin ?? 'check',
    atMs: state.atMs,
    holds: verdict.holds,
    expected: verdict.expected,
    actual: verdict.actual,
    state,
  };
}

function applyStep(sim: Simulation, instance: SystemInstance, step: PlanStep): void {
  if (!GENERIC.has(step.action)) {
    sim.note('scenario', 'action', `${step.action} ${describeArgs(step.args)}`, { action: step.action });
    instance.applyAction(step.action, step.args);
    return;
  }
  const action = step.action as GenericActionName;
  sim.note('scenario', 'fault', `${action} ${describeArgs(step.args)}`, { action });
  switch (action) {
    case 'crash':
      instance.beforeGeneric?.('crash', step.args as string);
      return sim.crash(step.args as string);
    case 'restart':
      instance.beforeGeneric?.('restart', step.args as string);
      return sim.restart(step.args as string);
    case 'pause': {
      const { node, forMs } = step.args as { node: string; forMs: number };
      instance.beforeGeneric?.('pause', node);
      return sim.pause(node, msToUs(forMs));
    }
    case 'partition':
      return sim.partition(step.args as string[]);
    case 'heal':
      return sim.heal(step.args as string[] | 'all');
    default:
      return assertNever(action);
  }
}

function describeArgs(args: unknown): string {
  if (typeof args === 'string') return args;
  return JSON.stringify(args);
}
