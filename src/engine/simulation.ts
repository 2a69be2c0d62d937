import { assert, fail, LimitError } from './assert.js';
import type { WatchMatch } from './changes.js';
import { ChangeWatch } from './changes.js';
import type { LivenessInvariant, SafetyInvariant, ViolationDetail } from './checks.js';
import { ViolationRecorder } from './checks.js';
import type { CacheWarmer } from './event-queue.js';
import { EventQueue } from './event-queue.js';
import type { LinkState, NetworkOptions, StreamSendResult } from './network.js';
import { defaultNetworkOptions, LatencyModel, Partitions } from './network.js';
import type { StreamOwner } from './random.js';
import { RandomStreams, Rng } from './random.js';
import type { Micros } from './time.js';
import { US_PER_MS } from './time.js';
import type { DropReason, TraceRecord } from './trace.js';
import { TraceCapture, TraceHasher, TraceKind } from './trace.js';

/** Every message has a string `type`: it names the message in traces and reports. */
export interface Message {
  readonly type: string;
}

/**
 * Stable id of an actor (node + actor name); the same across restarts of its node. `M` is what
 * the actor takes: `send` to an `ActorRef<M>` accepts only an `M`, so a message cannot go to an
 * actor that does not handle it. A plain `ActorRef` (= `ActorRef<Message>`) takes anything (an
 * envelope's sender, refs kept by the engine); a typed ref is usable wherever a plain one is.
 */
export type ActorRef<M extends Message = Message> = number & {
  readonly __actorRef: unique symbol;
  /** Type-level only: never set. */
  readonly __accepts?: M;
};

/** Handle of a scheduled timer, for `cancel`. */
export type TimerHandle = number & { readonly __timerHandle: unique symbol };

/**
 * Who sent the message being handled. The engine reuses one object: read it during the call,
 * do not keep it.
 */
export interface Envelope {
  from: ActorRef;
  fromNode: string;
  /** The sender's incarnation when it sent: lower than its node's current one = a late message. */
  fromIncarnation: number;
  sentAtUs: Micros;
  /** Stream link the message came through, or -1 for a plain message. */
  stream: number;
}

/** An actor: synchronous handlers only; no promises, no real timers. */
export interface Actor<M extends Message = Message> {
  onStart?(): void;
  onMessage(message: M, envelope: Readonly<Envelope>): void;
}

/** What an actor can do to the world. */
export interface ActorContext<M extends Message = Message> {
  readonly ref: ActorRef;
  readonly node: string;
  readonly name: string;
  readonly incarnation: number;
  /** State that survives a crash of the node (a file on disk): the only thing that does. */
  readonly durable: Map<string, unknown>;
  now(): Micros;
  /** Through the network model when `to` lives on another node; in-process otherwise. */
  send<T extends Message>(to: ActorRef<T>, message: NoInfer<T>, extraDelayUs?: Micros): void;
  after(delayUs: Micros, message: M): TimerHandle;
  every(periodUs: Micros, message: M, firstDelayUs?: Micros): TimerHandle;
  cancel(handle: TimerHandle): boolean;
  /** A seeded stream private to this actor: `<node>/<actor>/<name>`. */
  random(name: string): Rng;
  /** A notable event for the timeline and trace (hashed). */
  note(category: string, text: string, entities?: Record<string, string>): void;
  /**
   * Spawns another actor on this node at run time (a goroutine, a per-connection handler). It
   * dies with the node; the name must be unique on the node (use a counter).
   */
  spawn<N extends Message>(actorName: string, create: (ctx: ActorContext<N>) => Actor<N>): ActorRef<N>;
  /** Removes this actor: later messages and timers addressed to it are dropped. */
  stop(): void;
  readonly sim: Simulation;
}

/** Called on every start of a node (first start and each restart) to spawn its actors. */
export type NodeFactory = (node: NodeHandle) => void;

export interface NodeHandle {
  readonly name: string;
  readonly incarnation: number;
  readonly durable: Map<string, unknown>;
  spawn<M extends Message>(actorName: string, create: (ctx: ActorContext<M>) => Actor<M>): ActorRef<M>;
}

export interface Note {
  readonly atUs: Micros;
  readonly node: string;
  readonly category: string;
  readonly text: string;
  readonly entities: Readonly<Record<string, string>>;
  /** This note's event id (see TraceRecord.seq). */
  readonly seq?: number;
  /** The event whose handler wrote it (see TraceRecord.cause); absent when a scenario step did. */
  readonly cause?: number;
}

export interface SimulationOptions {
  readonly seed: number;
  readonly network?: Partial<NetworkOptions>;
  /** Stop with a LimitError past this many events. @defaultValue 50_000_000 */
  readonly maxEvents?: number;
  /** Stop with a LimitError when more events than this are pending at once (a message storm). @defaultValue unbounded */
  readonly maxPending?: number;
  /** Keep full trace records (for Perfetto and verbose reports), up to this many. @defaultValue 0 */
  readonly captureLimit?: number;
  /** Notes kept for the timeline (all are hashed). @defaultValue 100_000 */
  readonly notesLimit?: number;
}

/** Event kinds in the queue. */
const EV_DELIVER = 1;
const EV_TIMER = 2;
const EV_CALLBACK = 3;
const EV_STREAM = 4;

/** Sender packing in one float column: actor * 2^21 + incarnation (incarnation < 2^21). */
const INCARNATION_LIMIT = 2 ** 21;

/**
 * The state the hot path reads per event, in typed arrays indexed by node or actor: an event
 * then touches a few dense arrays instead of two scattered objects per actor (at 10^5 actors
 * those objects do not fit in cache).
 */
class NodeTable {
  /** Per node, side by side (one cache line): [status, incarnation]. */
  readonly data: Int32Array;

  constructor(nodeCount: number) {
    this.data = new Int32Array(nodeCount * NODE_STRIDE);
  }
}

const NODE_STRIDE = 2;
const N_STATUS = 0;
const N_INCARNATION = 1;
const STATUS_DOWN = 0;
const STATUS_RUNNING = 1;
const STATUS_PAUSED = 2;

class ActorTable {
  /** Per actor, side by side: [node index, spawn count]. */
  data = new Int32Array(1024 * ACTOR_STRIDE);
  /** Per actor, its live context (which holds the instance), or undefined while it is not running. */
  readonly ctx: (NodeActorContext | undefined)[] = [];
  /** Per actor, the change watches it belongs to (see Simulation.watch), or undefined. */
  readonly watchers: (ChangeWatch[] | undefined)[] = [];

  add(node: number): number {
    const index = this.ctx.length;
    if ((index + 1) * ACTOR_STRIDE > this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[index * ACTOR_STRIDE + A_NODE] = node;
    this.ctx.push(undefined);
    this.watchers.push(undefined);
    return index;
  }
}

const ACTOR_STRIDE = 2;
const A_NODE = 0;
/** Bumped on every spawn: a timer armed by an earlier spawn (stopped, then respawned) is dropped. */
const A_SPAWNS = 1;

class NodeState {
  factory: NodeFactory = () => undefined;
  /** Created on first use (see `durableOf`): most nodes never write durable state. */
  durable: Map<string, unknown> | null = null;
  started = false;
  /**
   * Events that arrived while paused, as parked queue handles (so a held timer can still be
   * cancelled), replayed in order on resume. Null while nothing is held: most nodes never pause.
   */
  held: number[] | null = null;
  /**
   * Actors ever spawned here: the first inline, any others in a list. Most nodes host one actor,
   * and a one-element array is two more objects per node for the collector to copy.
   */
  firstActor = -1;
  laterActors: number[] | null = null;

  constructor(
    readonly index: number,
    readonly name: string,
    private readonly table: NodeTable,
  ) {}

  get up(): boolean {
    return this.table.data[this.index * NODE_STRIDE + N_STATUS] !== STATUS_DOWN;
  }

  /** Records an actor spawned here; a respawn of one already recorded changes nothing. */
  addActor(ref: number): void {
    if (this.firstActor === -1) this.firstActor = ref;
    else if (this.firstActor !== ref && !(this.laterActors?.includes(ref) ?? false))
      (this.laterActors ??= []).push(ref);
  }

  /** The actors ever spawned here, in spawn order (fault paths only: builds a list). */
  actors(): number[] {
    if (this.firstActor === -1) return [];
    return this.laterActors === null ? [this.firstActor] : [this.firstActor, ...this.laterActors];
  }

  set up(value: boolean) {
    const at = this.index * NODE_STRIDE + N_STATUS;
    if (!value) this.table.data[at] = STATUS_DOWN;
    else if (this.table.data[at] === STATUS_DOWN) this.table.data[at] = STATUS_RUNNING;
  }

  /** Only a running node can be paused; `up = false` clears it. */
  get paused(): boolean {
    return this.table.data[this.index * NODE_STRIDE + N_STATUS] === STATUS_PAUSED;
  }

  set paused(value: boolean) {
    const at = this.index * NODE_STRIDE + N_STATUS;
    const status = this.table.data[at];
    if (value) {
      assert(status !== STATUS_DOWN, 'only a running node pauses', { node: this.name });
      this.table.data[at] = STATUS_PAUSED;
    } else if (status === STATUS_PAUSED) this.table.data[at] = STATUS_RUNNING;
  }

  get incarnation(): number {
    return this.table.data[this.index * NODE_STRIDE + N_INCARNATION] as number;
  }

  set incarnation(value: number) {
    this.table.data[this.index * NODE_STRIDE + N_INCARNATION] = value;
  }
}

/**
 * An actor (its ref's stable facts); also what names its random streams, and what keeps them
 * between two spawns of it: they belong to the actor, so a restarted actor continues them.
 */
class ActorSlot implements StreamOwner {
  /**
   * The first stream of a retired context, for the next one (see `retire`). While a context is
   * live only it holds that stream, so the collector, finding it through the context right after
   * the actor object, puts the two side by side (see NodeActorContext.random).
   */
  retiredFirstStream: Rng | undefined = undefined;
  /** The actor's second and later streams, by name (most actors draw from one). */
  private moreStreams: RandomStreams | null = null;

  constructor(
    readonly index: number,
    readonly name: string,
    readonly nodeName: string,
    private readonly table: ActorTable,
  ) {}

  /** A stream other than the first, named `<node>/<actor>/<name>`. */
  laterStream(seed: number, name: string): Rng {
    this.moreStreams ??= new RandomStreams(seed, this);
    return this.moreStreams.stream(name);
  }

  get node(): number {
    return this.table.data[this.index * ACTOR_STRIDE + A_NODE] as number;
  }

  get ctx(): NodeActorContext | undefined {
    return this.table.ctx[this.index];
  }

  set ctx(value: NodeActorContext | undefined) {
    this.table.ctx[this.index] = value;
  }

  get instance(): Actor<Message> | undefined {
    return this.table.ctx[this.index]?.instance;
  }

  get spawns(): number {
    return this.table.data[this.index * ACTOR_STRIDE + A_SPAWNS] as number;
  }

  set spawns(value: number) {
    this.table.data[this.index * ACTOR_STRIDE + A_SPAWNS] = value;
  }
}

/** Per message type: its send count. */
interface TypeCounter {
  sent: number;
}

interface StreamLink {
  readonly client: number;
  readonly server: number;
  state: LinkState;
  buffered: number;
  lastDeliveryUs: [Micros, Micros];
}

type Callback = () => void;

/** A periodic look outside the trace (see Simulation.sample). */
interface Sampler {
  nextUs: Micros;
  readonly periodUs: Micros;
  readonly fn: (nowUs: Micros) => boolean;
}

/** Called at the start of each violation episode (and for each liveness violation at the end). */
export type ViolationListener = (id: string, detail: ViolationDetail, atUs: Micros) => void;

/**
 * The discrete-event world: nodes (processes) hosting actors, a virtual clock, one agenda, a
 * network model, process faults, the trace hash and the invariant checks. Knows nothing of any
 * system under test.
 */
export class Simulation {
  readonly random: RandomStreams;
  readonly hasher = new TraceHasher();
  readonly capture: TraceCapture | null;
  readonly violations = new ViolationRecorder();
  readonly notes: Note[] = [];
  readonly partitions: Partitions;
  readonly latency: LatencyModel;

  /**
   * Payload: the message (or callback); owner: for timers, the context that armed it. Sized for
   * a timer per node from the start: a world of 10^5 executors otherwise grew it nine times
   * while being built, copying its records each time.
   */
  private readonly queue: EventQueue<unknown, NodeActorContext>;
  /**
   * Cache warming (EventQueue.warmBucket): the context a coming event runs in (a timer's owner,
   * a delivery's receiver), then its actor object and its first random stream. Loads only.
   */
  private readonly warmer: CacheWarmer<NodeActorContext> = {
    ownerFor: (target) => (target >= 0 ? this.actorTable.ctx[target] : undefined),
    touch: (ctx, depth) => {
      // The context's hot fields span two cache lines at most: touch both ends.
      if (depth === 0) return ctx.status + ctx.ref;
      const instance = ctx.instance as { onMessage?: unknown } | undefined;
      const rng = ctx.firstStream;
      return (
        (instance !== undefined && instance.onMessage !== undefined ? 1 : 0) +
        (rng !== undefined ? rng.warmth() : 0)
      );
    },
  };
  private readonly nodes: NodeState[] = [];
  private readonly nodeTable: NodeTable;
  private readonly actorTable = new ActorTable();
  private readonly nodeByName = new Map<string, number>();
  /** Where `defineNode` looks first: the node after the one defined last. */
  private nextDefinedNode = 0;
  private readonly actors: ActorSlot[] = [];
  /**
   * Actor name -> (node index -> ref). Keyed this way, not by a `node/actor` string, because
   * 10^5 such strings (V8 keeps them as ropes) cost more than the actors themselves. The inner
   * table is an array indexed by node: a plain indexed load for a name found on many nodes (an
   * executor on each of 10^5: a Map there cost ~330 ns per actor to build), and V8 keeps a
   * sparse one (a handler spawned on one node) as a dictionary.
   */
  private readonly actorByName = new Map<string, (number | undefined)[]>();
  private readonly streams: StreamLink[] = [];
  private readonly periodic = new Map<number, { handle: number; periodUs: Micros }>();
  private nextPeriodicId = 1;
  private readonly safety: SafetyInvariant[] = [];
  private readonly liveness: LivenessInvariant[] = [];
  private readonly watches: { readonly watch: ChangeWatch; readonly match: WatchMatch }[] = [];
  private readonly samplers: Sampler[] = [];
  /** The earliest `nextUs` of the samplers (Infinity without any): one compare per event. */
  private nextSampleUs: Micros = Infinity;
  private readonly violationListeners: ViolationListener[] = [];
  private readonly sentByType = new Map<string, TypeCounter>();
  private readonly envelope = new ReusedEnvelope(this);
  private readonly maxEvents: number;
  private readonly maxPending: number;
  private readonly notesLimit: number;
  private nowUs: Micros = 0;
  /**
   * The context whose handler is running, if any: its own sends and timers read their sender
   * facts from it (already in cache) instead of from the per-actor tables.
   */
  private current: NodeActorContext | null = null;
  /** Sink for the early load in `runUntil`, so the compiler keeps it. */
  prefetchSink = 0;
  private sealed = false;
  /** Every event taken off the queue, dropped or not: what `maxEvents` limits. */
  private eventsPopped = 0;
  /** Deliveries and timer firings (what benchmarks count as events). */
  eventsRun = 0;
  /**
   * The last event id handed out (TraceRecord.seq): every delivery or timer that runs, fault,
   * drop and note takes the next one. The id of the event running sits in `queue.cause`, which
   * stamps everything it schedules; none of it is hashed.
   */
  private lastSeq = 0;
  messagesSent = 0;
  messagesDropped = 0;

  /** Messages sent, by `type` (in-process and network alike; drops included). A fresh copy. */
  get messagesByType(): ReadonlyMap<string, number> {
    const counts = new Map<string, number>();
    for (const [type, counter] of this.sentByType) counts.set(type, counter.sent);
    return counts;
  }
  /**
   * Adds a listener for every violation episode start (timeline, stop-on-first, shrink's target);
   * listeners run in the order added, and one may throw to stop the run.
   */
  addViolationListener(listener: ViolationListener): void {
    this.violationListeners.push(listener);
  }

  private violated(id: string, detail: ViolationDetail, atUs: Micros): void {
    const listeners = this.violationListeners;
    for (let i = 0; i < listeners.length; i++) (listeners[i] as ViolationListener)(id, detail, atUs);
  }

  constructor(options: SimulationOptions, nodeNames: readonly string[]) {
    assert(Number.isSafeInteger(options.seed), 'seed is a safe integer', { seed: options.seed });
    this.random = new RandomStreams(options.seed);
    this.queue = new EventQueue(Math.max(256, nodeNames.length));
    this.queue.warmer = this.warmer;
    this.capture =
      options.captureLimit !== undefined && options.captureLimit > 0
        ? new TraceCapture(options.captureLimit)
        : null;
    this.maxEvents = options.maxEvents ?? 50_000_000;
    this.maxPending = options.maxPending ?? Number.POSITIVE_INFINITY;
    this.notesLimit = options.notesLimit ?? 100_000;
    this.partitions = new Partitions(nodeNames.length);
    this.latency = new LatencyModel(
      { ...defaultNetworkOptions, ...options.network },
      this.random.stream('net/latency'),
      this.random.stream('net/extra-delay'),
      this.random.stream('net/drop'),
      this.random.stream('net/duplicate'),
    );
    this.nodeTable = new NodeTable(nodeNames.length);
    for (const name of nodeNames) {
      if (this.nodeByName.has(name)) fail('node names are unique', { name });
      this.nodeByName.set(name, this.nodes.length);
      this.nodes.push(new NodeState(this.nodes.length, name, this.nodeTable));
    }
  }

  // ---------------------------------------------------------------- set-up

  /** Declares what runs on a node; `start` (or `startAll`) then spawns it. */
  defineNode(name: string, factory: NodeFactory): void {
    // Nodes are mostly defined in the order they were named: try the next one before the map
    // (a lookup in a map of 10^5 names misses the cache).
    const hint = this.nextDefinedNode;
    const index =
      hint < this.nodes.length && (this.nodes[hint] as NodeState).name === name ? hint : this.nodeIndex(name);
    this.nextDefinedNode = index + 1;
    const node = this.nodes[index] as NodeState;
    node.factory = factory;
  }

  /** The stable ref of `actor` on `node`, usable before the actor is spawned. */
  ref<M extends Message = Message>(node: string, actor: string): ActorRef<M> {
    return this.refOn(this.nodeIndex(node), actor) as ActorRef<M>;
  }

  /**
   * The ref of `actor` on `node` if one was ever made (spawned or named), else undefined. Unlike
   * `ref` it never makes one: refs are numbered in the order they are made, and the trace hash
   * names actors by ref, so an observer (a view) must not make them.
   */
  existingRef<M extends Message = Message>(node: string, actor: string): ActorRef<M> | undefined {
    const nodeIndex = this.nodeByName.get(node);
    if (nodeIndex === undefined) return undefined;
    return this.actorByName.get(actor)?.[nodeIndex] as ActorRef<M> | undefined;
  }

  private refOn(nodeIndex: number, actor: string): ActorRef {
    let byNode = this.actorByName.get(actor);
    if (byNode === undefined) {
      byNode = [];
      this.actorByName.set(actor, byNode);
    }
    let index = byNode[nodeIndex];
    if (index === undefined) {
      index = this.actorTable.add(nodeIndex);
      this.actors.push(
        new ActorSlot(index, actor, (this.nodes[nodeIndex] as NodeState).name, this.actorTable),
      );
      byNode[nodeIndex] = index;
      const nodeName = (this.nodes[nodeIndex] as NodeState).name;
      for (const { watch, match } of this.watches) if (match(nodeName, actor)) this.joinWatch(index, watch);
    }
    return index as ActorRef;
  }

  private joinWatch(ref: number, watch: ChangeWatch): void {
    const list = this.actorTable.watchers[ref];
    if (list === undefined) this.actorTable.watchers[ref] = [watch];
    else list.push(watch);
  }

  /**
   * A change watch over the actors whose node and name `match` (now and any made later): the
   * engine flags one when its handler runs, when it is spawned and when it dies, so a view of
   * the actors' own state recomputes only what changed. See ChangeWatch.
   */
  watch(match: WatchMatch): ChangeWatch {
    const watch = new ChangeWatch();
    this.watches.push({ watch, match });
    for (const slot of this.actors) if (match(slot.nodeName, slot.name)) this.joinWatch(slot.index, watch);
    return watch;
  }

  /** Flags `ref` in its watches (it ran, started or died). */
  private changed(ref: number): void {
    const list = this.actorTable.watchers[ref];
    if (list !== undefined) for (let i = 0; i < list.length; i++) (list[i] as ChangeWatch).mark(ref);
  }

  /**
   * Calls `fn` every `periodUs` of simulated time (first at `firstAtUs`), after every event at
   * or before that time, then checks the safety invariants if `fn` says it changed what a check
   * reads: a periodic check (a grace period, a sampled condition) that is not an event. Outside
   * the trace: no hash, no event count, no budget; a run's trace is the same with or without
   * samplers. Set up before `startAll`.
   */
  sample(periodUs: Micros, fn: (nowUs: Micros) => boolean, firstAtUs: Micros = periodUs): void {
    if (!(periodUs > 0)) fail('sample period > 0', { periodUs });
    if (!(firstAtUs >= this.nowUs)) fail('samples are not scheduled in the past', { firstAtUs });
    this.samplers.push({ nextUs: firstAtUs, periodUs, fn });
    if (firstAtUs < this.nextSampleUs) this.nextSampleUs = firstAtUs;
  }

  /** Runs every sample due at or before `untilUs` (and the checks after each), in time order. */
  private runSamples(untilUs: Micros): void {
    // A sampler (or a check after it) may post an event at the sample's time: stop there, so
    // that event runs before any later sample and time never goes backwards.
    while (this.nextSampleUs <= untilUs && this.nextSampleUs < this.queue.peekTime()) {
      const atUs = this.nextSampleUs;
      this.nowUs = atUs;
      // No event runs here: a violation a sample finds has no event to point at.
      this.queue.cause = 0;
      let next = Infinity;
      let changed = false;
      for (const sampler of this.samplers) {
        if (sampler.nextUs === atUs) {
          if (sampler.fn(atUs)) changed = true;
          sampler.nextUs = atUs + sampler.periodUs;
        }
        if (sampler.nextUs < next) next = sampler.nextUs;
      }
      this.nextSampleUs = next;
      // No event ran since the last check: only what a sampler changed can make a new verdict.
      if (changed) this.checkSafety();
    }
  }

  addSafety(invariant: SafetyInvariant): void {
    this.safety.push(invariant);
  }

  addLiveness(invariant: LivenessInvariant): void {
    this.liveness.push(invariant);
  }

  /** Starts every defined node at time 0, in declaration order. */
  startAll(): void {
    for (const node of this.nodes) if (!node.started) this.startNode(node);
    this.sealed = true;
  }

  // ---------------------------------------------------------------- queries

  now(): Micros {
    return this.nowUs;
  }

  nodeIndex(name: string): number {
    const index = this.nodeByName.get(name);
    // Not `assert`: its facts (every node name) would be built on each call.
    if (index === undefined) fail('node exists', { name, nodes: [...this.nodeByName.keys()] });
    return index;
  }

  nodeNames(): string[] {
    return this.nodes.map((n) => n.name);
  }

  isUp(node: string): boolean {
    return this.nodes[this.nodeIndex(node)]!.up;
  }

  isPaused(node: string): boolean {
    return this.nodes[this.nodeIndex(node)]!.paused;
  }

  incarnationOf(node: string): number {
    return this.nodes[this.nodeIndex(node)]!.incarnation;
  }

  nodeOf(ref: ActorRef): string {
    return this.actors[ref]!.nodeName;
  }

  actorName(ref: ActorRef): string {
    return this.actors[ref]!.name;
  }

  /** @internal An actor's slot, which keeps its random streams (see NodeActorContext.random). */
  actorSlot(ref: ActorRef): ActorSlot {
    return this.actors[ref]!;
  }

  /** @internal A node's durable state, made on first use (see NodeActorContext.durable). */
  durableAt(nodeIndex: number): Map<string, unknown> {
    return durableOf(this.nodes[nodeIndex]!);
  }

  /** The live actor object, if its node is up (for invariants reading ground truth). */
  instance<A>(ref: ActorRef): A | undefined {
    const slot = this.actors[ref]!;
    return this.nodes[slot.node]!.up ? (slot.instance as A | undefined) : undefined;
  }

  pendingEvents(): number {
    return this.queue.size;
  }

  traceHash(): string {
    return this.hasher.digest();
  }

  // ---------------------------------------------------------------- scheduling

  /** Runs `fn` at an absolute time (scenario steps, fault changes). */
  at(atUs: Micros, fn: Callback): void {
    if (!(atUs >= this.nowUs)) fail('callbacks are not scheduled in the past', { atUs, nowUs: this.nowUs });
    this.queue.post(atUs, EV_CALLBACK, -1, 0, 0, 0, fn);
  }

  /**
   * Runs events up to and including `endUs`, checking safety invariants after each; then the
   * clock stands at `endUs`. Throws LimitError past the event budget.
   */
  runUntil(endUs: Micros): void {
    const queue = this.queue;
    for (;;) {
      this.runEventsUntil(endUs);
      if (this.nextSampleUs > endUs) break;
      this.runSamples(endUs);
      // A sample may have posted an event before the end: run it (and the samples after it).
      if (this.nextSampleUs > endUs && queue.peekTime() > endUs) break;
    }
    if (endUs > this.nowUs) this.nowUs = endUs;
  }

  /** The events due at or before `endUs`, each followed by the checks, with the samples between them. */
  private runEventsUntil(endUs: Micros): void {
    const queue = this.queue;
    while (queue.peekTime() <= endUs) {
      if (this.nextSampleUs < queue.peekTime()) this.runSamples(queue.peekTime() - 1);
      if (this.eventsPopped >= this.maxEvents) {
        throw new LimitError(
          `event budget exhausted: ${this.maxEvents} events run by t=${this.nowUs / US_PER_MS}ms, before the end at t=${endUs / US_PER_MS}ms (raise maxEvents, or look for a timer or message loop)`,
        );
      }
      // Checked every 1024 events (cheap): an event posts a handful more, so the overshoot is small.
      if ((this.eventsPopped & 1023) === 0 && queue.size > this.maxPending) {
        throw new LimitError(
          `pending-event limit reached: ${queue.size} events pending at t=${this.nowUs / US_PER_MS}ms (limit ${this.maxPending}; a message storm?)`,
          'pending-events',
        );
      }
      queue.pop();
      this.eventsPopped++;
      const atUs = queue.poppedTime;
      if (!(atUs >= this.nowUs)) fail('time never goes backwards', { atUs, nowUs: this.nowUs });
      this.nowUs = atUs;
      // Touch the next timer's context early (see EventQueue.pop): its load overlaps this event.
      const nextOwner = queue.nextOwner;
      if (nextOwner !== undefined) this.prefetchSink = nextOwner.status;
      this.dispatch();
      this.checkSafety();
    }
  }

  /** Judges liveness invariants and closes open safety episodes. */
  finish(): void {
    for (const invariant of this.liveness) {
      const detail = invariant.judge(this.nowUs);
      if (detail !== null) {
        this.violations.recordLiveness(invariant.id, detail, this.nowUs);
        this.hasher.fold(TraceKind.Violation, this.nowUs, 1, 0, invariant.id);
        this.violated(invariant.id, detail, this.nowUs);
      }
    }
    this.violations.finish(this.nowUs);
  }

  private checkSafety(): void {
    const safety = this.safety;
    for (let i = 0; i < safety.length; i++) {
      const invariant = safety[i] as SafetyInvariant;
      const detail = invariant.check(this.nowUs);
      if (this.violations.observe(invariant.id, detail, this.nowUs, this.queue.cause) && detail !== null) {
        this.hasher.fold(TraceKind.Violation, this.nowUs, 0, 0, invariant.id);
        this.violated(invariant.id, detail, this.nowUs);
      }
    }
  }

  // ---------------------------------------------------------------- messages and timers

  send<T extends Message>(
    from: ActorRef,
    to: ActorRef<T>,
    message: NoInfer<T>,
    extraDelayUs: Micros = 0,
  ): void {
    const actorData = this.actorTable.data;
    const nodeData = this.nodeTable.data;
    // The running handler sending: its context has the facts (a live context's incarnation is
    // its node's). Anyone else: the tables.
    const current = this.current;
    let fromNode: number;
    let fromIncarnation: number;
    if (current !== null && current.ref === from && current.status !== STATUS_DOWN) {
      fromNode = current.nodeIndex;
      fromIncarnation = current.incarnation;
    } else {
      fromNode = actorData[from * ACTOR_STRIDE + A_NODE] as number;
      fromIncarnation = nodeData[fromNode * NODE_STRIDE + N_INCARNATION] as number;
    }
    const toNode = actorData[to * ACTOR_STRIDE + A_NODE] as number;
    this.countSent(message);
    const packedFrom = from * INCARNATION_LIMIT + fromIncarnation;
    const toIncarnation = nodeData[toNode * NODE_STRIDE + N_INCARNATION] as number;
    const nowUs = this.nowUs;
    if (fromNode === toNode) {
      this.queue.post(nowUs + extraDelayUs, EV_DELIVER, to, packedFrom, nowUs, toIncarnation, message);
      return;
    }
    if (this.partitions.active > 0 && this.partitions.cut(fromNode, toNode))
      return this.drop(message, this.nodes[fromNode]!, this.nodes[toNode]!, 'cut', this.queue.cause);
    if (this.latency.dropped())
      return this.drop(message, this.nodes[fromNode]!, this.nodes[toNode]!, 'random', this.queue.cause);
    const delay = this.latency.delayUs() + extraDelayUs;
    this.queue.post(nowUs + delay, EV_DELIVER, to, packedFrom, nowUs, toIncarnation, message);
    if (this.latency.duplicated()) {
      this.queue.post(
        nowUs + this.latency.delayUs() + extraDelayUs,
        EV_DELIVER,
        to,
        packedFrom,
        nowUs,
        toIncarnation,
        message,
      );
    }
  }

  private countSent(message: Message): void {
    this.messagesSent++;
    const counter = this.sentByType.get(message.type);
    if (counter === undefined) this.sentByType.set(message.type, { sent: 1 });
    else counter.sent++;
  }

  /** `cause`: the event that sent the message (0 for none). */
  private drop(
    message: Message,
    fromNode: NodeState,
    toNode: NodeState,
    reason: DropReason,
    cause: number,
  ): void {
    this.messagesDropped++;
    const seq = ++this.lastSeq;
    this.hasher.fold(TraceKind.Drop, this.nowUs, fromNode.index, toNode.index, message.type);
    if (this.capture !== null) {
      this.capture.add({
        seq,
        ...(cause !== 0 ? { cause } : {}),
        atUs: this.nowUs,
        kind: TraceKind.Drop,
        node: toNode.name,
        type: message.type,
        fromNode: fromNode.name,
        detail: reason,
      });
    }
  }

  /**
   * A timer belongs to the context that armed it (the owner's current spawn in the current
   * incarnation) and fires only while that context is live; armed for an actor that is not
   * running, it never fires.
   */
  scheduleTimer(owner: ActorRef, delayUs: Micros, message: Message): TimerHandle {
    if (!(delayUs >= 0)) fail('timer delay >= 0', { delayUs, type: message.type });
    const ctx = this.timerOwner(owner);
    return this.queue.push(this.nowUs + delayUs, EV_TIMER, owner, 0, 0, 0, message, ctx) as TimerHandle;
  }

  schedulePeriodic(owner: ActorRef, periodUs: Micros, message: Message, firstDelayUs: Micros): TimerHandle {
    if (!(periodUs > 0)) fail('period > 0', { periodUs, type: message.type });
    if (!(firstDelayUs >= 0)) fail('first delay >= 0', { firstDelayUs, type: message.type });
    const id = this.nextPeriodicId++;
    const ctx = this.timerOwner(owner);
    const handle = this.queue.push(this.nowUs + firstDelayUs, EV_TIMER, owner, 0, id, 0, message, ctx);
    this.periodic.set(id, { handle, periodUs });
    // Periodic handles are negative so `cancel` can tell them from one-shot queue handles.
    return -id as TimerHandle;
  }

  private timerOwner(owner: ActorRef): NodeActorContext | undefined {
    const current = this.current;
    return current !== null && current.ref === owner && current.status !== STATUS_DOWN
      ? current
      : this.actorTable.ctx[owner];
  }

  cancelTimer(handle: TimerHandle): boolean {
    if (handle < 0) {
      const entry = this.periodic.get(-handle);
      if (entry === undefined) return false;
      this.periodic.delete(-handle);
      // The entry exists only while the timer is armed, so this cancels it even if the queue
      // has already popped its current firing (dispatch then finds no entry and stops).
      this.queue.cancel(entry.handle);
      return true;
    }
    return this.queue.cancel(handle);
  }

  note(node: string, category: string, text: string, entities: Record<string, string> = {}): void {
    this.hasher.fold(TraceKind.Note, this.nowUs, 0, 0, category);
    this.hasher.foldText(text);
    const seq = ++this.lastSeq;
    const cause = this.queue.cause;
    // A note a scenario step writes (`crash TE-1`, `submit A`) names the step: it is the root of
    // what the step does next (the system's reaction, the fault itself).
    if (cause === 0 && this.current === null) this.queue.cause = seq;
    if (this.notes.length < this.notesLimit)
      this.notes.push({
        atUs: this.nowUs,
        node,
        category,
        text,
        entities,
        seq,
        cause: cause !== 0 ? cause : undefined,
      });
  }

  // ---------------------------------------------------------------- stream links

  /** Opens a stream link between two actors (client first); returns its id. */
  openStream(client: ActorRef, server: ActorRef): number {
    const id = this.streams.length;
    this.streams.push({ client, server, state: 'up', buffered: 0, lastDeliveryUs: [0, 0] });
    this.hasher.fold(TraceKind.Link, this.nowUs, id, 0, 'open');
    return id;
  }

  streamState(id: number): LinkState {
    return this.streams[id]!.state;
  }

  setStreamState(id: number, state: LinkState): void {
    const link = this.streams[id]!;
    if (link.state === state) return;
    // A closed stream stays closed: TCP does not reopen; the client opens a new one.
    if (link.state === 'closed') return;
    link.state = state;
    link.buffered = 0;
    this.hasher.fold(TraceKind.Link, this.nowUs, id, 0, state);
  }

  /**
   * Sends on a stream link. `ok` on an up link means it will arrive, in order; on a half-open
   * link (or one cut by a partition) it means nothing arrives. `blocked` once a half-open
   * buffer is full; `closed` when the connection is gone.
   */
  streamSend<T extends Message>(id: number, from: ActorRef, message: T): StreamSendResult {
    const link = this.streams[id]!;
    const fromSlot = this.actors[from]!;
    const toRef = from === link.client ? link.server : link.client;
    const toSlot = this.actors[toRef]!;
    const fromNode = this.nodes[fromSlot.node]!;
    const toNode = this.nodes[toSlot.node]!;
    assert(from === link.client || from === link.server, 'sender is an end of the stream', { id, from });
    if (link.state === 'closed') return 'closed';
    this.countSent(message);
    if (link.state === 'half-open' || this.partitions.cut(fromSlot.node, toSlot.node)) {
      if (link.buffered >= this.latency.current.halfOpenBufferMessages) return 'blocked';
      link.buffered++;
      this.drop(message, fromNode, toNode, 'half-open', this.queue.cause);
      return 'ok';
    }
    const direction = from === link.client ? 0 : 1;
    // In order: a stream never overtakes itself.
    const atUs = Math.max(this.nowUs + this.latency.delayUs(), link.lastDeliveryUs[direction]);
    link.lastDeliveryUs[direction] = atUs;
    this.queue.post(
      atUs,
      EV_STREAM,
      toRef,
      from * INCARNATION_LIMIT + fromNode.incarnation,
      this.nowUs,
      id,
      message,
    );
    return 'ok';
  }

  // ---------------------------------------------------------------- process faults

  /** Abrupt stop: actors gone, timers and in-flight messages to it lost, streams closed. */
  crash(name: string): void {
    const node = this.nodes[this.nodeIndex(name)]!;
    if (!node.up) return;
    node.up = false;
    node.paused = false;
    this.discardHeld(node);
    for (const a of node.actors()) this.retire(a);
    for (const link of this.streams) {
      if (this.actors[link.client]!.node === node.index || this.actors[link.server]!.node === node.index)
        link.state = 'closed';
    }
    this.fault(TraceKind.Crash, node, 'crash');
  }

  /** A new incarnation: the factory runs again; only `durable` state carried over. */
  restart(name: string): void {
    const node = this.nodes[this.nodeIndex(name)]!;
    // The implied crash does not cause the restart: both have the step's cause.
    const cause = this.queue.cause;
    if (node.up) this.crash(name);
    this.queue.cause = cause;
    assert(node.incarnation + 1 < INCARNATION_LIMIT, 'incarnations fit their packing', { name });
    node.incarnation++;
    this.fault(TraceKind.Restart, node, 'restart');
    this.startNode(node);
  }

  pause(name: string, forUs: Micros): void {
    const node = this.nodes[this.nodeIndex(name)]!;
    if (!node.up || node.paused) return;
    node.paused = true;
    this.setActorStatus(node, STATUS_PAUSED);
    const incarnation = node.incarnation;
    this.fault(TraceKind.Pause, node, 'pause');
    this.at(this.nowUs + forUs, () => {
      if (node.incarnation === incarnation) this.resume(name);
    });
  }

  resume(name: string): void {
    const node = this.nodes[this.nodeIndex(name)]!;
    if (!node.paused) return;
    node.paused = false;
    this.setActorStatus(node, STATUS_RUNNING);
    this.fault(TraceKind.Resume, node, 'resume');
    const held = node.held;
    node.held = null;
    if (held !== null) for (const handle of held) this.queue.unpark(handle, this.nowUs);
  }

  /** Mirrors a node's running/paused status into its live contexts (which the dispatcher reads). */
  private setActorStatus(node: NodeState, status: number): void {
    for (const a of node.actors()) {
      const ctx = this.actorTable.ctx[a];
      if (ctx !== undefined) ctx.status = status;
    }
  }

  /** Ends an actor's current context: its timers die with it, deliveries find no actor. */
  private retire(ref: number): void {
    const ctx = this.actorTable.ctx[ref];
    if (ctx === undefined) return;
    this.changed(ref);
    ctx.status = STATUS_DOWN;
    ctx.instance = undefined;
    this.actorTable.ctx[ref] = undefined;
    if (ctx.firstStream !== undefined) this.actors[ref]!.retiredFirstStream = ctx.firstStream;
  }

  private discardHeld(node: NodeState): void {
    const held = node.held;
    node.held = null;
    if (held !== null) for (const handle of held) this.queue.discard(handle);
  }

  partition(names: readonly string[]): void {
    this.partitions.isolate(names.map((n) => this.nodeIndex(n)));
    for (const n of names) this.fault(TraceKind.Partition, this.nodes[this.nodeIndex(n)]!, 'partition');
  }

  heal(names: readonly string[] | 'all'): void {
    if (names === 'all') {
      this.partitions.heal('all');
      this.hasher.fold(TraceKind.Heal, this.nowUs, -1, 0, 'heal');
      return;
    }
    this.partitions.heal(names.map((n) => this.nodeIndex(n)));
    for (const n of names) this.fault(TraceKind.Heal, this.nodes[this.nodeIndex(n)]!, 'heal');
  }

  /**
   * A fault: a root when a scenario step made it (callbacks run with no cause), else caused by
   * the handler that did. What follows in the same step (a restart's spawns) is caused by it.
   */
  private fault(kind: number, node: NodeState, type: string): void {
    this.hasher.fold(kind, this.nowUs, node.index, node.incarnation, type);
    const seq = ++this.lastSeq;
    const cause = this.queue.cause;
    if (this.capture !== null) {
      this.capture.add({
        atUs: this.nowUs,
        kind: kind as TraceRecord['kind'],
        node: node.name,
        type,
        seq,
        ...(cause !== 0 ? { cause } : {}),
      });
    }
    this.queue.cause = seq;
  }

  /** `createActor` for StartingNode: one closure per simulation, not one per node start. */
  private readonly createOn: CreateActor = (node, actorName, create) =>
    this.createActor(node, actorName, create);

  private startNode(node: NodeState): void {
    node.up = true;
    node.paused = false;
    node.started = true;
    const handle = new StartingNode(this.createOn, node);
    node.factory(handle);
    // Started after the factory returns, so actors spawned together can find one another.
    for (const ref of handle.spawned) this.actors[ref]!.instance?.onStart?.();
  }

  private createActor<M extends Message>(
    node: NodeState,
    actorName: string,
    create: (ctx: ActorContext<M>) => Actor<M>,
  ): ActorRef {
    const ref = this.refOn(node.index, actorName);
    const slot = this.actors[ref]!;
    assert(slot.instance === undefined, 'an actor is spawned once per incarnation', {
      node: node.name,
      actorName,
    });
    slot.spawns++;
    const ctx = new NodeActorContext(this, ref, node, node.paused ? STATUS_PAUSED : STATUS_RUNNING);
    // A restarted (or respawned) actor continues its streams.
    ctx.firstStream = slot.retiredFirstStream;
    slot.retiredFirstStream = undefined;
    slot.ctx = ctx;
    ctx.instance = create(ctx as unknown as ActorContext<M>) as Actor<Message>;
    node.addActor(ref);
    this.changed(ref);
    return ref;
  }

  /** Run-time spawn (see ActorContext.spawn); starts the actor at once. */
  spawnOn<M extends Message>(
    nodeName: string,
    actorName: string,
    create: (ctx: ActorContext<M>) => Actor<M>,
  ): ActorRef<M> {
    const node = this.nodes[this.nodeIndex(nodeName)]!;
    assert(node.up, 'spawn on a running node', { nodeName, actorName });
    const ref = this.createActor(node, actorName, create);
    this.actors[ref]!.instance?.onStart?.();
    return ref as ActorRef<M>;
  }

  /** Removes an actor; messages and timers addressed to it are dropped from now on. */
  stopActor(ref: ActorRef): void {
    this.retire(ref);
  }

  // ---------------------------------------------------------------- dispatch

  /** Runs the event just popped (read from the queue's `popped*` fields: no boxing of arguments). */
  private dispatch(): void {
    const queue = this.queue;
    const kind = queue.poppedKind;
    if (kind === EV_CALLBACK) {
      // A scenario step is a root: what it does has no cause but the faults it makes.
      queue.cause = 0;
      (queue.poppedPayload as Callback)();
      // A scenario step may touch any actor's state from outside its handlers.
      for (const { watch } of this.watches) watch.markAll();
      return;
    }
    const target = queue.poppedTarget;
    const message = queue.poppedPayload as Message;
    if (kind === EV_TIMER) {
      // The owner is the context that armed it: one object says whether the timer still counts
      // (same incarnation, same spawn, node up) and holds the instance to call. b = periodic id.
      const ctx = queue.poppedOwner;
      const periodicId = queue.poppedB;
      if (ctx === undefined || ctx.status === STATUS_DOWN || ctx.instance === undefined) {
        if (periodicId !== 0) this.periodic.delete(periodicId);
        return;
      }
      if (ctx.status === STATUS_PAUSED) return this.hold(this.nodes[ctx.nodeIndex]!);
      if (periodicId !== 0) {
        const entry = this.periodic.get(periodicId);
        if (entry === undefined) return; // cancelled
        // Every firing of a periodic timer is caused by the event that armed it.
        queue.cause = queue.poppedCause;
        entry.handle = queue.push(
          this.nowUs + entry.periodUs,
          EV_TIMER,
          target,
          0,
          periodicId,
          0,
          message,
          ctx,
        );
      }
      this.eventsRun++;
      const seq = ++this.lastSeq;
      this.hasher.fold(TraceKind.Timer, this.nowUs, target, 0, message.type);
      if (this.capture !== null) {
        this.capture.add({
          seq,
          // Not a spread: a fuzz run captures every event, and a spread is the slow path.
          cause: queue.poppedCause !== 0 ? queue.poppedCause : undefined,
          atUs: this.nowUs,
          kind: TraceKind.Timer,
          node: this.nodes[ctx.nodeIndex]!.name,
          actor: this.actors[target]!.name,
          type: message.type,
        });
      }
      const env = this.envelope;
      env.from = target as ActorRef;
      env.fromIncarnation = ctx.incarnation;
      env.sentAtUs = this.nowUs;
      env.stream = -1;
      queue.cause = seq;
      this.call(ctx, ctx.instance, message);
      return;
    }
    // Deliveries. a = sender packed, b = sent at, c = receiver incarnation (EV_DELIVER) or stream id.
    const a = queue.poppedA;
    const c = queue.poppedC;
    const fromRef = Math.floor(a / INCARNATION_LIMIT);
    const fromIncarnation = a - fromRef * INCARNATION_LIMIT;
    // A live receiver's context has its node's status and incarnation; without one, the tables.
    const ctx = this.actorTable.ctx[target];
    let status: number;
    let incarnation: number;
    if (ctx !== undefined) {
      status = ctx.status;
      incarnation = ctx.incarnation;
    } else {
      const nodeIndex = this.actorTable.data[target * ACTOR_STRIDE + A_NODE] as number;
      status = this.nodeTable.data[nodeIndex * NODE_STRIDE + N_STATUS] as number;
      incarnation = this.nodeTable.data[nodeIndex * NODE_STRIDE + N_INCARNATION] as number;
    }
    if (status === STATUS_DOWN) return this.dropDelivery(message, fromRef, target, 'dead');
    if (kind === EV_DELIVER && incarnation !== c)
      return this.dropDelivery(message, fromRef, target, 'stale-incarnation');
    if (kind === EV_STREAM && this.streams[c]!.state === 'closed')
      return this.dropDelivery(message, fromRef, target, 'closed');
    if (status === STATUS_PAUSED) return this.hold(this.nodes[this.actorNode(target)]!);
    // The sender's node is looked up only when a partition could cut the message.
    if (this.partitions.active > 0) {
      const fromNode = this.actorNode(fromRef);
      const toNode = this.actorNode(target);
      if (fromNode !== toNode && this.partitions.cut(fromNode, toNode))
        return this.dropDelivery(message, fromRef, target, 'cut');
    }
    if (ctx === undefined || ctx.instance === undefined)
      return this.dropDelivery(message, fromRef, target, 'no-actor');
    const sentAtUs = queue.poppedB;
    this.eventsRun++;
    const seq = ++this.lastSeq;
    this.hasher.foldDeliver(this.nowUs, target, fromRef, fromIncarnation, message.type);
    if (this.capture !== null) {
      this.capture.add({
        seq,
        cause: queue.poppedCause !== 0 ? queue.poppedCause : undefined,
        atUs: this.nowUs,
        kind: TraceKind.Deliver,
        node: this.nodes[ctx.nodeIndex]!.name,
        actor: this.actors[target]!.name,
        type: message.type,
        fromNode: this.nodes[this.actorNode(fromRef)]!.name,
        fromActor: this.actors[fromRef]!.name,
        fromIncarnation,
        sentAtUs,
      });
    }
    const env = this.envelope;
    env.from = fromRef as ActorRef;
    env.fromIncarnation = fromIncarnation;
    env.sentAtUs = sentAtUs;
    env.stream = kind === EV_STREAM ? c : -1;
    queue.cause = seq;
    this.call(ctx, ctx.instance, message);
  }

  /** Calls a handler with `current` set, so its sends and timers find their context at hand. */
  private call(ctx: NodeActorContext, instance: Actor<Message>, message: Message): void {
    const previous = this.current;
    this.current = ctx;
    if (this.actorTable.watchers[ctx.ref] !== undefined) this.changed(ctx.ref);
    try {
      instance.onMessage(message, this.envelope);
    } finally {
      this.current = previous;
    }
  }

  private actorNode(ref: number): number {
    return this.actorTable.data[ref * ACTOR_STRIDE + A_NODE] as number;
  }

  private dropDelivery(message: Message, fromRef: number, toRef: number, reason: DropReason): void {
    this.drop(
      message,
      this.nodes[this.actorNode(fromRef)]!,
      this.nodes[this.actorNode(toRef)]!,
      reason,
      this.queue.poppedCause,
    );
  }

  /** Parks the event just popped until its node resumes. */
  private hold(node: NodeState): void {
    if (node.held === null) node.held = [];
    node.held.push(this.queue.park());
  }

  /** True once `startAll` ran; set-up calls after it are a bug. */
  get started(): boolean {
    return this.sealed;
  }
}

type CreateActor = <M extends Message>(
  node: NodeState,
  actorName: string,
  create: (ctx: ActorContext<M>) => Actor<M>,
) => ActorRef;

/**
 * The NodeHandle a node's factory gets at each start: a class, not an object of closures, since
 * a world can start 10^5 nodes. Keeps what was spawned, to start it once the factory returns.
 */
class StartingNode implements NodeHandle {
  readonly spawned: ActorRef[] = [];

  constructor(
    private readonly createOn: CreateActor,
    private readonly node: NodeState,
  ) {}

  get name(): string {
    return this.node.name;
  }

  get incarnation(): number {
    return this.node.incarnation;
  }

  get durable(): Map<string, unknown> {
    return durableOf(this.node);
  }

  spawn<M extends Message>(actorName: string, create: (ctx: ActorContext<M>) => Actor<M>): ActorRef<M> {
    const ref = this.createOn(this.node, actorName, create);
    this.spawned.push(ref);
    return ref as ActorRef<M>;
  }
}

function durableOf(node: NodeState): Map<string, unknown> {
  if (node.durable === null) node.durable = new Map();
  return node.durable;
}

/**
 * An actor's context. A class with its methods on the prototype, not an object of closures: a
 * model can have 10^5 actors (one per executor), and eleven closures each cost about 1 KB per
 * actor. Call its methods on the context (`ctx.send(...)`); do not detach them.
 */
class NodeActorContext implements ActorContext<Message> {
  // Field order is layout (V8 lays fields out as declared), and every field is one the hot path
  // reads, in one span that cache warming touches at both ends (`status`, `ref`). What only cold
  // paths need (names, durable state, further streams) is found through `sim` and `ref`: a
  // context is 80 bytes, made once per actor and spawn (10^5 of them in a large world).
  /** Engine-internal: STATUS_RUNNING or STATUS_PAUSED (its node's), STATUS_DOWN once retired. */
  status: number;
  /** Engine-internal: the actor object this context serves (undefined once it is retired). */
  instance: Actor<Message> | undefined = undefined;
  /**
   * Engine-internal: the first stream this actor drew (cache warming reads it). Right after
   * `instance`: the collector, scanning a context, then moves the actor object and its stream
   * one after the other (see `random`).
   */
  firstStream: Rng | undefined = undefined;
  readonly incarnation: number;
  /** Engine-internal: the node's index, for the dispatcher. */
  readonly nodeIndex: number;
  readonly sim: Simulation;
  readonly ref: ActorRef;

  constructor(sim: Simulation, ref: ActorRef, nodeState: NodeState, status: number) {
    this.status = status;
    this.incarnation = nodeState.incarnation;
    this.nodeIndex = nodeState.index;
    this.sim = sim;
    this.ref = ref;
  }

  get name(): string {
    return this.sim.actorName(this.ref);
  }

  get node(): string {
    return this.sim.nodeOf(this.ref);
  }

  get durable(): Map<string, unknown> {
    return this.sim.durableAt(this.nodeIndex);
  }

  now(): Micros {
    return this.sim.now();
  }

  send<T extends Message>(to: ActorRef<T>, message: NoInfer<T>, extraDelayUs?: Micros): void {
    this.sim.send(this.ref, to, message, extraDelayUs);
  }

  after(delayUs: Micros, message: Message): TimerHandle {
    return this.sim.scheduleTimer(this.ref, delayUs, message);
  }

  every(periodUs: Micros, message: Message, firstDelayUs?: Micros): TimerHandle {
    return this.sim.schedulePeriodic(this.ref, periodUs, message, firstDelayUs ?? periodUs);
  }

  cancel(handle: TimerHandle): boolean {
    return this.sim.cancelTimer(handle);
  }

  /**
   * The actor's streams belong to it (its slot passes them from one spawn to the next), not to
   * the world's `RandomStreams`: while it runs, only its context refers to its first stream, so
   * the garbage collector, which moves objects in the order it finds them, puts that stream next
   * to its actor object. At 10^5 executors that makes a beat touch one page fewer (measured:
   * about -90 ns of ~560 per beat).
   */
  random(name: string): Rng {
    const first = this.firstStream;
    if (first === undefined)
      return (this.firstStream = new Rng(this.sim.random.seed, name, this.sim.actorSlot(this.ref)));
    // An inherited first stream is this actor's too: its name within the actor decides.
    if (first.localName === name) return first;
    return this.sim.actorSlot(this.ref).laterStream(this.sim.random.seed, name);
  }

  note(category: string, text: string, entities?: Record<string, string>): void {
    this.sim.note(this.node, category, text, entities);
  }

  spawn<N extends Message>(actorName: string, create: (ctx: ActorContext<N>) => Actor<N>): ActorRef<N> {
    return this.sim.spawnOn(this.node, actorName, create);
  }

  stop(): void {
    this.sim.stopActor(this.ref);
  }
}

/**
 * The one envelope the engine hands to every handler. `fromNode` is looked up when read, so a
 * delivery need not touch the sender's node record (most handlers never ask).
 */
class ReusedEnvelope implements Envelope {
  from = 0 as ActorRef;
  fromIncarnation = 0;
  sentAtUs: Micros = 0;
  stream = -1;

  constructor(private readonly sim: Simulation) {}

  get fromNode(): string {
    return this.sim.nodeOf(this.from);
  }
}
