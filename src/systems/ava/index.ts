import { z } from 'zod';
import { avaWhy } from './why.js';
import { parseDuration } from '../../util/duration.js';
import { durationSchema } from '../../util/duration-schema.js';
import type { Simulation } from '../../engine/index.js';
import { AssertionError, msToUs } from '../../engine/index.js';
import type {
  ActionSpec,
  FaultKind,
  GenericActionName,
  PlanStep,
  SystemInstance,
  SystemModel,
  SystemSetup,
} from '../system-model.js';
import type { AvaCluster } from './cluster.js';
import { avaChecks, crossCheckAva } from './checks.js';
import { avaClusterSchema, findOperator, triggerSchema } from './cluster.js';
import { avaConfigKeys, avaPresetConfig, avaVariants, checkAvaVariant, resolveAvaConfig } from './config.js';
import type { ClockChoice } from './clocks.js';
import { DialClocks } from './clocks.js';
import type { DbTask, EngineInbox } from './engine.js';
import { Engine } from './engine.js';
import { GroundTruth } from './ground-truth.js';
import { avaCoverage } from './coverage.js';
import { avaFaults } from './faults.js';
import { avaInvariants, startAvaInvariants } from './invariants.js';
import { OperatorProcess } from './operator.js';
import { AvaStateReader } from './state-view.js';
import type { HandlerInbox } from './stream-handler.js';
import { AvaTransport } from './transport.js';
import { AvaView } from './view.js';
import { allowedList, didYouMean } from '../../util/names.js';

const operatorName = z.string().min(1);
const taskId = z.string().min(1);

const avaActions: readonly ActionSpec[] = [
  {
    name: 'connect',
    meaning:
      'the operator dials SyncMessages now (starting its process if it is down) with a MonotonicClock: an integer, same, lower or next',
    schema: z.strictObject({
      operator: operatorName,
      clock: z.union([z.number().int(), z.enum(['same', 'lower', 'next'])]).default('next'),
    }),
    example: 'connect: { operator: 0xA1, clock: same }',
  },
  {
    name: 'disconnect',
    meaning:
      "clean close of the operator's stream; the operator retries after operatorRetryDelay, the aggregator notices at its next Send",
    schema: operatorName,
    example: 'disconnect: 0xA1',
  },
  {
    name: 'drop',
    meaning:
      'silent transport drop (half-open): nothing arrives either way; the aggregator notices only when a Send fails',
    schema: operatorName,
    example: 'drop: 0xA1',
  },
  {
    name: 'create-task',
    meaning: 'CreateTask: a new active task',
    schema: z.strictObject({ id: taskId, trigger: triggerSchema.default('event') }),
    example: 'create-task: { id: T9, trigger: cron }',
  },
  {
    name: 'cancel-task',
    meaning:
      'CancelTaskByUser: the task leaves memory; CancelTask is batched to operators that have it synced',
    schema: taskId,
    example: 'cancel-task: T1',
  },
  {
    name: 'delete-task',
    meaning: 'DeleteTaskByUser: DeleteTask is batched; the task stays in memory (deleteKeepsTaskInMemory)',
    schema: taskId,
    example: 'delete-task: T1',
  },
  {
    name: 'fire-trigger',
    meaning:
      "the task's trigger condition occurs: every running process with a local check for it fires (once per scheduled job) and calls NotifyTriggers, which marks the task synced for its address and reloads it from the DB if it is not in memory",
    schema: taskId,
    example: 'fire-trigger: T1',
  },
  {
    name: 'sigterm',
    meaning:
      'SIGTERM to the aggregator (a deploy): engine.Stop() sets shutdown (with stopCancelsHandlers, HEAD, it also cancels every handler, so each operator reads EOF at once); a handler that ticks before the process exits (shutdownWindow later) returns nil, so its operator reads EOF; then the process exits like a crash (start it again with restart: aggregator)',
    schema: z.literal('aggregator'),
    example: 'sigterm: aggregator',
  },
  {
    name: 'stall',
    meaning:
      "the operator's current stream stops draining for a while (flow-control window full, link slow but up): Sends block and complete when it ends, so a Send that timed out is still delivered (E11)",
    schema: z.strictObject({ operator: operatorName, for: durationSchema }),
    example: 'stall: { operator: 0xA1, for: 5s }',
  },
];

const ENGINE_ACTOR = 'engine';
const WORKER_ACTOR = 'worker';

export const avaModel: SystemModel<AvaCluster, AvaView> = {
  id: 'ava',
  meaning:
    'Ava Protocol AVS aggregator streaming tasks to operators (StreamCheckToOperator), with its reconnection fixes',
  controlPlaneNode: 'aggregator',
  defaultVariant: 'fixed',
  variants: avaVariants,
  invariants: avaInvariants,
  config: avaConfigKeys,
  actions: avaActions,
  faults: avaFaults,
  coverage: avaCoverage,
  checks: avaChecks,
  crossCheck: (check, args, cluster, steps) => crossCheckAva(check, args, cluster, steps),
  why: avaWhy,
  clusterSchema: avaClusterSchema,
  checkVariant: checkAvaVariant,
  nodes: (cluster) => ['aggregator', ...cluster.operators.map((op) => op.node)],
  faultTargets: (cluster, kind: FaultKind) => {
    void kind;
    return cluster.operators.map((op) => op.node);
  },
  checkAction(action, args, cluster) {
    const name =
      action === 'connect' || action === 'stall'
        ? (args as { operator: string }).operator
        : action === 'disconnect' || action === 'drop'
          ? (args as string)
          : null;
    if (name === null || findOperator(cluster, name) !== undefined) return null;
    const allowed = allowedList(
      cluster.operators.map((op) => (op.node === op.address ? op.address : `${op.node} (${op.address})`)),
      cluster.operators.length,
    );
    const names = cluster.operators.flatMap((op) => [op.node, op.address]);
    return `unknown operator '${name}'${didYouMean(name, names)} (allowed: ${allowed})`;
  },
  dropSteps(target, atMs, reconnectAfterMs): PlanStep[] {
    const steps: PlanStep[] = [{ atMs, action: 'drop', args: target }];
    if (reconnectAfterMs !== null)
      steps.push({
        atMs: atMs + reconnectAfterMs,
        action: 'connect',
        args: { operator: target, clock: 'next' },
      });
    return steps;
  },
  variantConfig: (variant) => avaPresetConfig(variant),
  build: (sim, setup) => buildAva(sim, setup),
};

function buildAva(sim: Simulation, setup: SystemSetup<AvaCluster>): SystemInstance<AvaView> {
  const { cluster } = setup;
  const config = resolveAvaConfig(setup.config);
  const truth = new GroundTruth();
  const transport = new AvaTransport(sim, truth);
  const clocks = new DialClocks();
  const engineRef = sim.ref<EngineInbox>('aggregator', ENGINE_ACTOR);
  const engine = (): Engine | undefined => sim.instance<Engine>(engineRef);
  const approved = cluster.operators.filter((o) => o.approved).map((o) => o.address);
  let connections = 0;
  const nextConnId = (): number => ++connections;
  const initialDb = (): Map<string, DbTask> =>
    new Map(cluster.tasks.map((t) => [t.id, { id: t.id, trigger: t.trigger, status: 'active' }]));

  let durableDb: ReadonlyMap<string, DbTask> = new Map();
  sim.defineNode('aggregator', (node) => {
    // The DB (BadgerDB) is the only aggregator state that survives a restart.
    if (!node.durable.has('db')) node.durable.set('db', initialDb());
    const db = node.durable.get('db') as Map<string, DbTask>;
    durableDb = db;
    node.spawn(
      ENGINE_ACTOR,
      (ctx) => new Engine(ctx, { db, transport, truth, approved, nextConnId }, config),
    );
  });
  const operatorRefs = cluster.operators.map((spec) => ({ spec, ref: sim.ref(spec.node, WORKER_ACTOR) }));
  for (const spec of cluster.operators) {
    sim.defineNode(spec.node, (node) =>
      node.spawn(WORKER_ACTOR, (ctx) => new OperatorProcess(ctx, spec, clocks, truth, config, engineRef)),
    );
  }
  const view = new AvaView(sim, cluster, config, engineRef, operatorRefs, () => durableDb);
  startAvaInvariants(view);
  const reader = new AvaStateReader(sim, cluster, engineRef, (node) => sim.ref(node, WORKER_ACTOR));

  const process = (name: string): OperatorProcess | undefined => {
    const spec = findOperator(cluster, name);
    return spec === undefined ? undefined : sim.instance<OperatorProcess>(sim.ref(spec.node, WORKER_ACTOR));
  };
  const running = (): OperatorProcess[] =>
    operatorRefs.flatMap(({ ref }) => sim.instance<OperatorProcess>(ref) ?? []);
  /** The aggregator process ends (crash, restart, or the end of a SIGTERM): every socket is reset. */
  const aggregatorGoesDown = (): void => {
    reader.aggregatorGoingDown();
    // The operators' sockets are reset: each sees an error and retries later.
    for (const op of running()) {
      const streamId = op.currentStream();
      if (streamId !== null && sim.streamState(streamId) === 'up') op.transportLost(streamId);
    }
  };
  /** srv.Context().Done() fires only when lazy detection is switched off. */
  const peerGone = (streamId: number): void => {
    if (config.lazyDisconnectDetection || !sim.isUp('aggregator')) return;
    const record = [...(engine()?.connections.values() ?? [])].find((r) => r.streamId === streamId);
    if (record === undefined || record.exited) return;
    const handler = sim.ref<HandlerInbox>('aggregator', `stream-${record.id}`);
    sim.send(handler, handler, { type: 'peer-gone' });
  };

  return {
    view,
    applyAction(action, args) {
      switch (action) {
        case 'connect': {
          const { operator, clock } = args as { operator: string; clock: ClockChoice };
          const spec = findOperator(cluster, operator);
          if (spec === undefined) return;
          if (!sim.isUp(spec.node)) {
            clocks.askOnStart(spec.node, clock);
            return sim.restart(spec.node);
          }
          return process(operator)?.dial(clock);
        }
        case 'disconnect':
        case 'drop': {
          const op = process(args as string);
          const streamId = op?.currentStream() ?? null;
          if (op === undefined || streamId === null)
            return sim.note('operator', 'scenario', `${action} ${String(args)}: no open stream`, {});
          if (action === 'drop') return sim.setStreamState(streamId, 'half-open');
          sim.setStreamState(streamId, 'closed');
          op.transportLost(streamId);
          return peerGone(streamId);
        }
        case 'stall': {
          const { operator, for: forValue } = args as { operator: string; for: number | string };
          const parsed = parseDuration(forValue);
          const streamId = process(operator)?.currentStream() ?? null;
          if (streamId === null || !parsed.ok)
            return sim.note('operator', 'scenario', `stall ${operator}: no open stream`, {});
          sim.note(
            'operator',
            'scenario',
            `stream of ${operator} stalls for ${parsed.ms}ms: Sends on it block until then`,
            { operator },
          );
          return transport.stall(streamId, parsed.ms);
        }
        case 'fire-trigger': {
          let fired = 0;
          for (const op of running()) fired += op.fire(args as string);
          if (fired === 0)
            sim.note('operator', 'scenario', `trigger of ${String(args)} fired, but no process monitors it`, {
              task: String(args),
            });
          return;
        }
        case 'sigterm': {
          // E12 (Aggregator.Start L295-302 @fix): Stop() sets shutdown (and at HEAD cancels every
          // handler, ava errata 1, and waits for all of them to return); the DB closes and the
          // process exits shortly after.
          const e = engine();
          if (e === undefined || e.shutdown)
            return sim.note(
              'aggregator',
              'scenario',
              'sigterm ignored: the aggregator is down or already stopping',
              {},
            );
          const cancelled = e.stop();
          const handlers = config.stopCancelsHandlers
            ? `, every handler's ticker ctx cancelled (${cancelled.length === 0 ? 'none live' : cancelled.join(', ')})`
            : '';
          sim.note(
            'aggregator',
            'scenario',
            `SIGTERM: engine.Stop() (shutdown set${handlers}); the process exits in ${config.shutdownWindowMs}ms`,
            {},
          );
          const incarnation = sim.incarnationOf('aggregator');
          const exit = (): void => {
            if (!sim.isUp('aggregator') || sim.incarnationOf('aggregator') !== incarnation) return;
            // A paused (stopped) process cannot finish shutting down: it exits once it runs again.
            if (sim.isPaused('aggregator'))
              return sim.at(sim.now() + msToUs(Math.max(1, config.shutdownWindowMs)), exit);
            const live = e.liveHandlers();
            if (config.stopCancelsHandlers && live.length > 0) {
              sim.note(
                'aggregator',
                'scenario',
                `SIGTERM: engine.Stop() still waits for ${live.join(', ')} to return (streamsWG.Wait)`,
                {},
              );
              return e.whenHandlersReturn(exit);
            }
            goDown();
          };
          const goDown = (): void => {
            if (!sim.isUp('aggregator') || sim.incarnationOf('aggregator') !== incarnation) return;
            sim.note(
              'aggregator',
              'scenario',
              'SIGTERM: the DB is closed and the process exits; every socket is reset',
              {},
            );
            aggregatorGoesDown();
            sim.crash('aggregator');
          };
          sim.at(sim.now() + msToUs(config.shutdownWindowMs), exit);
          return;
        }
        case 'create-task':
        case 'cancel-task':
        case 'delete-task': {
          const e = engine();
          if (e === undefined)
            return sim.note('aggregator', 'scenario', `${action} ignored: the aggregator is down`, {});
          if (action === 'create-task') return e.createTask(args as { id: string; trigger: 'event' });
          return action === 'cancel-task' ? e.cancelTask(args as string) : e.deleteTask(args as string);
        }
        default:
          // The loader accepts only the actions listed above: anything else is a clustersim bug.
          throw new AssertionError(`ava has no action '${action}'`);
      }
    },
    beforeGeneric(action: GenericActionName, node: string) {
      if (action !== 'crash' && action !== 'restart') return;
      if (node === 'aggregator') {
        if (sim.isUp('aggregator')) aggregatorGoesDown();
        return;
      }
      const streamId = sim.isUp(node) ? (process(node)?.currentStream() ?? null) : null;
      if (streamId !== null) peerGone(streamId);
    },
    metrics: () => ({ ...truth.metrics }),
    evaluateCheck: (check, args) => reader.evaluate(check, args),
    state: () => reader.view(),
  };
}
