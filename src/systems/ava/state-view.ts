import type { ActorRef, Simulation } from '../../engine/index.js';
import type { CheckVerdict } from '../system-model.js';
import type {
  AssignmentCheck,
  ClockCheck,
  HandlerCheck,
  MonitorsCheck,
  NotifiedCheck,
  SentCheck,
  StreamCheck,
  SyncedCheck,
  TickersCheck,
} from './checks.js';
import type { AvaCluster } from './cluster.js';
import type { Engine } from './engine.js';
import type { OperatorProcess } from './operator.js';
import type { StreamCheckToOperator } from './stream-handler.js';

const list = (items: readonly string[]): string => `[${items.join(', ')}]`;
const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);

/**
 * The aggregator's and the operators' view, read from the actors themselves (the Engine's maps
 * and handlers, each process's local checks), for `check` steps and `run --json` state.
 * Read-only: nothing here sends, notes or draws.
 */
export class AvaStateReader {
  constructor(
    private readonly sim: Simulation,
    private readonly cluster: AvaCluster,
    private readonly engineRef: ActorRef,
    private readonly processRef: (node: string) => ActorRef,
  ) {}

  private engine(): Engine | undefined {
    return this.sim.instance<Engine>(this.engineRef);
  }

  private process(node: string): OperatorProcess | undefined {
    return this.sim.instance<OperatorProcess>(this.processRef(node));
  }

  /**
   * Handlers of aggregator processes that have gone down, by connection number: a restart loses
   * the Engine, not what its connections' streams carried (connection numbers run on across
   * restarts).
   */
  private readonly goneHandlers = new Map<number, StreamCheckToOperator>();

  /** Called as the aggregator process goes down (crash, restart, SIGTERM exit). */
  aggregatorGoingDown(): void {
    for (const [id, handler] of this.engine()?.handlers ?? []) this.goneHandlers.set(id, handler);
  }

  /**
   * The handler of connection `c<n>`: the live aggregator's, or one of a process that has gone
   * down (then it has exited with it, whatever phase it was in); undefined if never accepted.
   */
  private handler(name: string): { readonly of: StreamCheckToOperator; readonly gone: boolean } | undefined {
    const id = Number(name.slice(1));
    const live = this.engine()?.handlers.get(id);
    if (live !== undefined) return { of: live, gone: false };
    const gone = this.goneHandlers.get(id);
    return gone === undefined ? undefined : { of: gone, gone: true };
  }

  private static neverAccepted(name: string, expected: string): CheckVerdict {
    return { holds: false, expected, actual: `no connection ${name} was ever accepted` };
  }

  evaluate(check: string, args: unknown): CheckVerdict {
    const engine = this.engine();
    const down = 'the aggregator is down';
    switch (check) {
      case 'assignment': {
        const c = args as AssignmentCheck;
        const expected = `taskAssignments[${c.assignment}] is ${c.is}`;
        if (engine === undefined) return { holds: false, expected, actual: down };
        const actual = engine.taskAssignments.get(c.assignment) ?? 'none';
        return { holds: actual === c.is, expected, actual: `taskAssignments[${c.assignment}] is ${actual}` };
      }
      case 'stream': {
        const c = args as StreamCheck;
        const expected = `operatorStreams[${c.stream}] is ${c.is}`;
        if (engine === undefined) return { holds: false, expected, actual: down };
        const entry = engine.operatorStreams.get(c.stream);
        const actual = entry === undefined ? 'none' : `c${entry.connId}`;
        return { holds: actual === c.is, expected, actual: `operatorStreams[${c.stream}] is ${actual}` };
      }
      case 'synced': {
        const c = args as SyncedCheck;
        const expected = `TaskID of ${c.synced} is ${list(c.is)}`;
        if (engine === undefined) return { holds: false, expected, actual: down };
        const state = engine.trackSyncedTasks.get(c.synced);
        if (state === undefined)
          return { holds: false, expected, actual: `${c.synced} has no operatorState` };
        const actual = [...state.TaskID].sort();
        return { holds: sameSet(actual, c.is), expected, actual: `TaskID of ${c.synced} is ${list(actual)}` };
      }
      case 'clock': {
        const c = args as ClockCheck;
        const expected = `MonotonicClock of ${c.clock} is ${c.is}`;
        if (engine === undefined) return { holds: false, expected, actual: down };
        const actual = engine.trackSyncedTasks.get(c.clock)?.MonotonicClock ?? 'absent';
        return { holds: actual === c.is, expected, actual: `MonotonicClock of ${c.clock} is ${actual}` };
      }
      case 'tickers': {
        const c = args as TickersCheck;
        const expected = `${c.is} handler(s) run a ticker for ${c.tickers}`;
        const live = this.liveTickers(c.tickers);
        return {
          holds: live.length === c.is,
          expected,
          actual: `${live.length} handler(s) run a ticker for ${c.tickers}${live.length > 0 ? ` (${live.join(', ')})` : ''}`,
        };
      }
      case 'handler': {
        const c = args as HandlerCheck;
        const expected = `handler ${c.handler} is ${c.is}`;
        const found = this.handler(c.handler);
        if (found === undefined) return AvaStateReader.neverAccepted(c.handler, expected);
        const actual = found.gone ? 'exited' : found.of.status;
        return { holds: actual === c.is, expected, actual: `handler ${c.handler} is ${actual}` };
      }
      case 'sent': {
        const c = args as SentCheck;
        const say = (yes: boolean): string =>
          `MonitorTaskTrigger(${c.task}) was ${yes ? '' : 'not '}sent on ${c.sent}`;
        const found = this.handler(c.sent);
        if (found === undefined) return AvaStateReader.neverAccepted(c.sent, say(c.is));
        const carried = found.of.carried;
        const sent = carried.includes(`MonitorTaskTrigger(${c.task})`);
        return {
          holds: sent === c.is,
          expected: say(c.is),
          actual: `${say(sent)} (it carried ${list(carried)})`,
        };
      }
      case 'notified': {
        const c = args as NotifiedCheck;
        const expected = `${c.notified} carried the notifications ${list(c.is)}`;
        const found = this.handler(c.notified);
        if (found === undefined) return AvaStateReader.neverAccepted(c.notified, expected);
        const actual = found.of.carried.filter((m) => !m.startsWith('MonitorTaskTrigger('));
        return {
          holds: actual.length === c.is.length && actual.every((m, i) => m === c.is[i]),
          expected,
          actual: `${c.notified} carried the notifications ${list(actual)}`,
        };
      }
      case 'monitors': {
        const c = args as MonitorsCheck;
        const process = this.sim.isUp(c.monitors) ? this.process(c.monitors) : undefined;
        const actual = process === undefined ? 'down' : [...process.localChecks.keys()].sort();
        const say = (v: readonly string[] | 'down'): string =>
          v === 'down' ? `process ${c.monitors} is down` : `process ${c.monitors} monitors ${list(v)}`;
        const holds = actual === 'down' || c.is === 'down' ? actual === c.is : sameSet(actual, c.is);
        return { holds, expected: say(c.is), actual: say(actual) };
      }
      default:
        throw new Error(`ava has no check '${check}'`);
    }
  }

  private liveTickers(address: string): string[] {
    const engine = this.engine();
    if (engine === undefined) return [];
    return [...engine.handlers.values()]
      .filter((h) => h.operatorAddress === address && h.tickerLive)
      .map((h) => `c${h.connectionId}`);
  }

  /** The view as plain JSON: the aggregator's maps and handlers, and each process's checks. */
  view(): Record<string, unknown> {
    const engine = this.engine();
    const processes = Object.fromEntries(
      this.cluster.operators.map((op) => {
        const process = this.sim.isUp(op.node) ? this.process(op.node) : undefined;
        return [
          op.node,
          process === undefined ? 'down' : { monitors: [...process.localChecks.keys()].sort() },
        ];
      }),
    );
    if (engine === undefined) return { aggregator: 'down', processes };
    const byKey = <V>(entries: Iterable<[string, V]>): [string, V][] =>
      [...entries].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return {
      aggregator: engine.shutdown ? 'stopping' : 'up',
      tasks: [...engine.tasks.keys()].sort(),
      operatorState: Object.fromEntries(
        byKey(engine.trackSyncedTasks.entries()).map(([address, state]) => [
          address,
          {
            clock: state.MonotonicClock,
            synced: [...state.TaskID].sort(),
            ticker: state.TickerCtx === null ? null : `c${state.TickerCtx.connId}`,
          },
        ]),
      ),
      operatorStreams: Object.fromEntries(
        byKey(engine.operatorStreams.entries()).map(([address, entry]) => [address, `c${entry.connId}`]),
      ),
      taskAssignments: Object.fromEntries(byKey(engine.taskAssignments.entries())),
      handlers: Object.fromEntries(
        [...engine.handlers.values()].map((h) => [
          `c${h.connectionId}`,
          { operator: h.operatorAddress, status: h.status, carried: [...h.carried] },
        ]),
      ),
      processes,
    };
  }
}
