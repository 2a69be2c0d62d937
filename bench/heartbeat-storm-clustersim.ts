import type { Actor, ActorContext, ActorRef, Rng } from '../src/engine/index.js';
import { Simulation } from '../src/engine/index.js';
import type { StormCounts } from './heartbeat-storm-params.js';
import { STORM } from './heartbeat-storm-params.js';

/**
 * heartbeat-storm on the engine's public API, written the way a system model is: an actor per
 * executor node with a one-shot timer re-armed per beat, a master actor with a periodic sweep,
 * heartbeats as messages through the network model, crashes and restarts through the Simulation.
 */

type ExecutorInbox = { readonly type: 'beat-due' };
type Heartbeat = { readonly type: 'Heartbeat'; readonly executor: number };
type MasterInbox = Heartbeat | { readonly type: 'sweep-due' };

const BEAT_DUE: ExecutorInbox = { type: 'beat-due' };
const SWEEP_DUE: MasterInbox = { type: 'sweep-due' };

class Executor implements Actor<ExecutorInbox> {
  private readonly rng: Rng;

  constructor(
    private readonly ctx: ActorContext<ExecutorInbox>,
    private readonly index: number,
    private readonly master: ActorRef,
    private readonly stats: { crashes: number },
  ) {
    this.rng = ctx.random('heartbeat');
  }

  onStart(): void {
    // A restarted executor beats at once: "beats again 30 s later".
    const firstUs = this.ctx.incarnation === 0 ? this.rng.range(0, STORM.firstBeatUs) : 0;
    this.ctx.after(firstUs, BEAT_DUE);
  }

  onMessage(): void {
    const heartbeat: Heartbeat = { type: 'Heartbeat', executor: this.index };
    this.ctx.send(this.master, heartbeat);
    if (this.rng.chance(STORM.crashProbabilityPerBeat)) {
      this.stats.crashes++;
      const sim = this.ctx.sim;
      const node = this.ctx.node;
      sim.crash(node);
      sim.at(sim.now() + STORM.restartAfterUs, () => sim.restart(node));
      return;
    }
    this.ctx.after(STORM.beatPeriodUs + this.rng.range(0, STORM.jitterUs), BEAT_DUE);
  }
}

class Master implements Actor<MasterInbox> {
  readonly lastSeenUs: Float64Array;
  /** When the sweep last marked each executor (-1 = never). Only the sweep touches it. */
  readonly markedAtUs: Float64Array;
  beats = 0;
  staleMarks = 0;

  constructor(
    private readonly ctx: ActorContext<MasterInbox>,
    executors: number,
  ) {
    this.lastSeenUs = new Float64Array(executors);
    this.markedAtUs = new Float64Array(executors).fill(-1);
  }

  onStart(): void {
    this.ctx.every(STORM.sweepPeriodUs, SWEEP_DUE);
  }

  onMessage(message: MasterInbox): void {
    if (message.type === 'Heartbeat') {
      this.lastSeenUs[message.executor] = this.ctx.now();
      this.beats++;
      return;
    }
    const nowUs = this.ctx.now();
    for (let i = 0; i < this.lastSeenUs.length; i++) {
      const lastSeenUs = this.lastSeenUs[i] as number;
      // Marked once per silence: a beat after the mark (lastSeen > markedAt) clears it.
      const alreadyMarked = (this.markedAtUs[i] as number) >= lastSeenUs;
      if (!alreadyMarked && nowUs - lastSeenUs > STORM.staleAfterUs) {
        this.markedAtUs[i] = nowUs;
        this.staleMarks++;
      }
    }
  }
}

export interface StormOptions {
  readonly executors: number;
  readonly seed: number;
  /** @defaultValue STORM.durationUs (100 simulated seconds) */
  readonly durationUs?: number;
}

export interface StormRun {
  readonly sim: Simulation;
  readonly master: Master;
  readonly stats: { crashes: number };
}

/** Builds the world without running it (tests use this to look inside). */
export function buildClustersimStorm(options: StormOptions): StormRun {
  const names = ['master'];
  for (let i = 0; i < options.executors; i++) names.push(`e${i}`);
  const sim = new Simulation({ seed: options.seed, network: { latencyUs: STORM.latencyUs } }, names);
  const masterRef = sim.ref('master', 'master');
  let master: Master | undefined;
  const stats = { crashes: 0 };
  sim.defineNode('master', (node) => {
    node.spawn<MasterInbox>('master', (ctx) => (master = new Master(ctx, options.executors)));
  });
  for (let i = 0; i < options.executors; i++) {
    sim.defineNode(`e${i}`, (node) => {
      node.spawn<ExecutorInbox>('executor', (ctx) => new Executor(ctx, i, masterRef, stats));
    });
  }
  sim.startAll();
  if (master === undefined) throw new Error('heartbeat-storm: the master did not start');
  return { sim, master, stats };
}

export function runClustersimStorm(options: StormOptions): StormCounts {
  const run = buildClustersimStorm(options);
  run.sim.runUntil(options.durationUs ?? STORM.durationUs);
  return {
    beats: run.master.beats,
    events: run.sim.eventsRun,
    crashes: run.stats.crashes,
    staleMarks: run.master.staleMarks,
    traceHash: run.sim.traceHash(),
  };
}
