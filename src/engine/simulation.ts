import { assert, LimitError } from './assert.js';
import type { LivenessInvariant, SafetyInvariant, ViolationDetail } from './checks.js';
import { ViolationRecorder } from './checks.js';
import { EventQueue } from './event-queue.js';
import type { LinkState, NetworkOptions, StreamSendResult } from './network.js';
import { defaultNetworkOptions, LatencyModel, Partitions } from './network.js';
import type { Rng } from './random.js';
import { RandomStreams } from './random.js';
import type { Micros } from './time.js';
import { US_PER_MS } from './time.js';
import type { DropReason, TraceRecord } from './trace.js';
import { TraceCapture, TraceHasher, TraceKind } from './trace.js';

/** Every message has a string `type`: it names the message in traces and reports. */
export interface Message {
  readonly type: string;
}

/** Stable id of an actor (node + actor name); the same across restarts of its node. */
export type ActorRef = number & { readonly __actorRef: unique symbol };

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
  send(to: ActorRef, message: Message, extraDelayUs?: Micros): void;
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
  spawn<N extends Message>(actorName: string, create: (ctx: ActorContext<N>) => Actor<N>): ActorRef;
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
  spawn<M extends Message>(actorName: string, create: (ctx: ActorContext<M>) => Actor<M>): ActorRef;
}

export interface Note {
  readonly atUs: Micros;
  readonly node: string;
  readonly category: string;
  readonly text: string;
  readonly entities: Readonly<Record<string, string>>;
}

export interface SimulationOptions {
  readonly seed: number;
  readonly network?: Partial<NetworkOptions>;
  /** Stop with a LimitError past this many events. @defaultValue 50_000_000 */
  readonly maxEvents?: number;
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

interface NodeState {
  readonly index: number;
  readonly name: string;
  readonly factory: NodeFactory;
  readonly durable: Map<string, unknown>;
  up: boolean;
  paused: boolean;
  incarnation: number;
  started: boolean;
  /** Events that arrived while paused, replayed in order on resume. */
  held: HeldEvent[];
  readonly actors: number[];
}

interface HeldEvent {
  kind: number;
  target: number;
  a: number;
  b: number;
  c: number;
  payload: unknown;
}

interface ActorSlot {
  readonly index: number;
  readonly node: number;
  readonly name: string;
  instance: Actor<Message> | undefined;
  ctx: ActorContext<Message> | undefined;
}

interface StreamLink {
  readonly client: number;
  readonly server: number;
  state: LinkState;
  buffered: number;
  lastDeliveryUs: [Micros, Micros];
}

type Callback = () => void;

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

  private readonly queue = new EventQueue<unknown>(4096);
  private readonly nodes: NodeState[] = [];
  private readonly nodeByName = new Map<string, number>();
  private readonly actors: ActorSlot[] = [];
  private readonly actorByKey = new Map<string, number>();
  private readonly streams: StreamLink[] = [];
  private readonly periodic = new Map<number, { handle: number; periodUs: Micros }>();
  private nextPeriodicId = 1;
  private readonly safety: SafetyInvariant[] = [];
  private readonly liveness: LivenessInvariant[] = [];
  private readonly envelope: Envelope = { from: 0 as ActorRef, fromNode: '', fromIncarnation: 0, sentAtUs: 0, stream: -1 };
  private readonly maxEvents: number;
  private readonly notesLimit: number;
  private nowUs: Micros = 0;
  private sealed = false;
  /** Deliveries and timer firings (what benchmarks count as events). */
  eventsRun = 0;
  messagesSent = 0;
  /** Messages sent, by `type` (in-process and network alike; drops included). */
  readonly messagesByType = new Map<string, number>();
  messagesDropped = 0;
  /** Called for every violation episode start (timeline, stop-on-first). */
  onViolation: ((id: string, detail: ViolationDetail, atUs: Micros) => void) | null = null;

  constructor(options: SimulationOptions, nodeNames: readonly string[]) {
    assert(Number.isSafeInteger(options.seed), 'seed is a safe integer', { seed: options.seed });
    this.random = new RandomStreams(options.seed);
    this.capture = options.captureLimit !== undefined && options.captureLimit > 0 ? new TraceCapture(options.captureLimit) : null;
    this.maxEvents = options.maxEvents ?? 50_000_000;
    this.notesLimit = options.notesLimit ?? 100_000;
    this.partitions = new Partitions(nodeNames.length);
    this.latency = new LatencyModel(
      { ...defaultNetworkOptions, ...options.network },
      this.random.stream('net/latency'),
      this.random.stream('net/drop'),
      this.random.stream('net/duplicate'),
    );
    for (const name of nodeNames) {
      assert(!this.nodeByName.has(name), 'node names are unique', { name });
      this.nodeByName.set(name, this.nodes.length);
      this.nodes.push({
        index: this.nodes.length,
        name,
        factory: () => undefined,
        durable: new Map(),
        up: false,
        paused: false,
        incarnation: 0,
        started: false,
        held: [],
        actors: [],
      });
    }
  }

  // ---------------------------------------------------------------- set-up

  /** Declares what runs on a node; `start` (or `startAll`) then spawns it. */
  defineNode(name: string, factory: NodeFactory): void {
    const index = this.nodeIndex(name);
    const node = this.nodes[index] as NodeState;
    (node as { factory: NodeFactory }).factory = factory;
  }

  /** The stable ref of `actor` on `node`, usable before the actor is spawned. */
  ref(node: string, actor: string): ActorRef {
    const key = `${node}\u0000${actor}`;
    let index = this.actorByKey.get(key);
    if (index === undefined) {
      index = this.actors.length;
      this.actors.push({ index, node: this.nodeIndex(node), name: actor, instance: undefined, ctx: undefined });
      this.actorByKey.set(key, index);
    }
    return index as ActorRef;
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
    assert(index !== undefined, 'node exists', { name, nodes: [...this.nodeByName.keys()] });
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
    return this.nodes[this.actors[ref]!.node]!.name;
  }

  actorName(ref: ActorRef): string {
    return this.actors[ref]!.name;
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
    assert(atUs >= this.nowUs, 'callbacks are not scheduled in the past', { atUs, nowUs: this.nowUs });
    this.queue.push(atUs, EV_CALLBACK, -1, 0, 0, 0, fn);
  }

  /**
   * Runs events up to and including `endUs`, checking safety invariants after each; then the
   * clock stands at `endUs`. Throws LimitError past the event budget.
   */
  runUntil(endUs: Micros): void {
    const queue = this.queue;
    while (queue.peekTime() <= endUs) {
      if (this.eventsRun >= this.maxEvents) {
        throw new LimitError(`event budget of ${this.maxEvents} events exhausted at t=${this.nowUs / US_PER_MS}ms`);
      }
      queue.pop();
      const atUs = queue.poppedTime;
      assert(atUs >= this.nowUs, 'time never goes backwards', { atUs, nowUs: this.nowUs });
      this.nowUs = atUs;
      this.dispatch(queue.poppedKind, queue.poppedTarget, queue.poppedA, queue.poppedB, queue.poppedC, queue.poppedPayload);
      this.checkSafety();
    }
    if (endUs > this.nowUs) this.nowUs = endUs;
  }

  /** Judges liveness invariants and closes open safety episodes. */
  finish(): void {
    for (const invariant of this.liveness) {
      const detail = invariant.judge(this.nowUs);
      if (detail !== null) {
        this.violations.recordLiveness(invariant.id, detail, this.nowUs);
        this.hasher.fold(TraceKind.Violation, this.nowUs, 1, 0, invariant.id);
        this.onViolation?.(invariant.id, detail, this.nowUs);
      }
    }
    this.violations.finish(this.nowUs);
  }

  private checkSafety(): void {
    const safety = this.safety;
    for (let i = 0; i < safety.length; i++) {
      const invariant = safety[i] as SafetyInvariant;
      const detail = invariant.check(this.nowUs);
      if (this.violations.observe(invariant.id, detail, this.nowUs) && detail !== null) {
        this.hasher.fold(TraceKind.Violation, this.nowUs, 0, 0, invariant.id);
        this.onViolation?.(invariant.id, detail, this.nowUs);
      }
    }
  }

  // ---------------------------------------------------------------- messages and timers

  send(from: ActorRef, to: ActorRef, message: Message, extraDelayUs: Micros = 0): void {
    const fromSlot = this.actors[from]!;
    const toSlot = this.actors[to]!;
    const fromNode = this.nodes[fromSlot.node]!;
    const toNode = this.nodes[toSlot.node]!;
    this.messagesSent++;
    this.messagesByType.set(message.type, (this.messagesByType.get(message.type) ?? 0) + 1);
    const packedFrom = from * INCARNATION_LIMIT + fromNode.incarnation;
    if (fromSlot.node === toSlot.node) {
      this.queue.push(this.nowUs + extraDelayUs, EV_DELIVER, to, packedFrom, this.nowUs, toNode.incarnation, message);
      return;
    }
    if (this.partitions.cut(fromSlot.node, toSlot.node)) return this.drop(message, fromNode, toNode, 'cut');
    if (this.latency.dropped()) return this.drop(message, fromNode, toNode, 'random');
    const delay = this.latency.delayUs() + extraDelayUs;
    this.queue.push(this.nowUs + delay, EV_DELIVER, to, packedFrom, this.nowUs, toNode.incarnation, message);
    if (this.latency.duplicated()) {
      this.queue.push(this.nowUs + this.latency.delayUs() + extraDelayUs, EV_DELIVER, to, packedFrom, this.nowUs, toNode.incarnation, message);
    }
  }

  private drop(message: Message, fromNode: NodeState, toNode: NodeState, reason: DropReason): void {
    this.messagesDropped++;
    this.hasher.fold(TraceKind.Drop, this.nowUs, fromNode.index, toNode.index, message.type);
    if (this.capture !== null) {
      this.capture.add({ atUs: this.nowUs, kind: TraceKind.Drop, node: toNode.name, type: message.type, fromNode: fromNode.name, detail: reason });
    }
  }

  scheduleTimer(owner: ActorRef, delayUs: Micros, message: Message): TimerHandle {
    assert(delayUs >= 0, 'timer delay >= 0', { delayUs, type: message.type });
    const slot = this.actors[owner]!;
    const incarnation = this.nodes[slot.node]!.incarnation;
    return this.queue.push(this.nowUs + delayUs, EV_TIMER, owner, incarnation, 0, 0, message) as TimerHandle;
  }

  schedulePeriodic(owner: ActorRef, periodUs: Micros, message: Message, firstDelayUs: Micros): TimerHandle {
    assert(periodUs > 0, 'period > 0', { periodUs, type: message.type });
    const id = this.nextPeriodicId++;
    const slot = this.actors[owner]!;
    const incarnation = this.nodes[slot.node]!.incarnation;
    const handle = this.queue.push(this.nowUs + firstDelayUs, EV_TIMER, owner, incarnation, id, 0, message);
    this.periodic.set(id, { handle, periodUs });
    // Periodic handles are negative so `cancel` can tell them from one-shot queue handles.
    return -id as TimerHandle;
  }

  cancelTimer(handle: TimerHandle): boolean {
    if (handle < 0) {
      const entry = this.periodic.get(-handle);
      if (entry === undefined) return false;
      this.periodic.delete(-handle);
      return this.queue.cancel(entry.handle);
    }
    return this.queue.cancel(handle);
  }

  note(node: string, category: string, text: string, entities: Record<string, string> = {}): void {
    this.hasher.fold(TraceKind.Note, this.nowUs, 0, 0, category);
    this.hasher.foldString(text);
    if (this.notes.length < this.notesLimit) this.notes.push({ atUs: this.nowUs, node, category, text, entities });
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

  streamEnds(id: number): { client: ActorRef; server: ActorRef } {
    const link = this.streams[id]!;
    return { client: link.client as ActorRef, server: link.server as ActorRef };
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
  streamSend(id: number, from: ActorRef, message: Message): StreamSendResult {
    const link = this.streams[id]!;
    const fromSlot = this.actors[from]!;
    const toRef = from === link.client ? link.server : link.client;
    const toSlot = this.actors[toRef]!;
    const fromNode = this.nodes[fromSlot.node]!;
    const toNode = this.nodes[toSlot.node]!;
    assert(from === link.client || from === link.server, 'sender is an end of the stream', { id, from });
    if (link.state === 'closed') return 'closed';
    this.messagesSent++;
    this.messagesByType.set(message.type, (this.messagesByType.get(message.type) ?? 0) + 1);
    if (link.state === 'half-open' || this.partitions.cut(fromSlot.node, toSlot.node)) {
      if (link.buffered >= this.latency.current.halfOpenBufferMessages) return 'blocked';
      link.buffered++;
      this.drop(message, fromNode, toNode, 'half-open');
      return 'ok';
    }
    const direction = from === link.client ? 0 : 1;
    // In order: a stream never overtakes itself.
    const atUs = Math.max(this.nowUs + this.latency.delayUs(), link.lastDeliveryUs[direction]);
    link.lastDeliveryUs[direction] = atUs;
    this.queue.push(atUs, EV_STREAM, toRef, from * INCARNATION_LIMIT + fromNode.incarnation, this.nowUs, id, message);
    return 'ok';
  }

  // ---------------------------------------------------------------- process faults

  /** Abrupt stop: actors gone, timers and in-flight messages to it lost, streams closed. */
  crash(name: string): void {
    const node = this.nodes[this.nodeIndex(name)]!;
    if (!node.up) return;
    node.up = false;
    node.paused = false;
    node.held = [];
    for (const a of node.actors) {
      const slot = this.actors[a]!;
      slot.instance = undefined;
      slot.ctx = undefined;
    }
    for (const link of this.streams) {
      if (this.actors[link.client]!.node === node.index || this.actors[link.server]!.node === node.index) link.state = 'closed';
    }
    this.fault(TraceKind.Crash, node, 'crash');
  }

  /** A new incarnation: the factory runs again; only `durable` state carried over. */
  restart(name: string): void {
    const node = this.nodes[this.nodeIndex(name)]!;
    if (node.up) this.crash(name);
    assert(node.incarnation + 1 < INCARNATION_LIMIT, 'incarnations fit their packing', { name });
    node.incarnation++;
    this.fault(TraceKind.Restart, node, 'restart');
    this.startNode(node);
  }

  pause(name: string, forUs: Micros): void {
    const node = this.nodes[this.nodeIndex(name)]!;
    if (!node.up || node.paused) return;
    node.paused = true;
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
    this.fault(TraceKind.Resume, node, 'resume');
    const held = node.held;
    node.held = [];
    for (const e of held) this.queue.push(this.nowUs, e.kind, e.target, e.a, e.b, e.c, e.payload);
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

  private fault(kind: number, node: NodeState, type: string): void {
    this.hasher.fold(kind, this.nowUs, node.index, node.incarnation, type);
    if (this.capture !== null) this.capture.add({ atUs: this.nowUs, kind: kind as TraceRecord['kind'], node: node.name, type });
  }

  private startNode(node: NodeState): void {
    node.up = true;
    node.paused = false;
    node.started = true;
    const spawned: ActorSlot[] = [];
    const handle: NodeHandle = {
      name: node.name,
      incarnation: node.incarnation,
      durable: node.durable,
      spawn: <M extends Message>(actorName: string, create: (ctx: ActorContext<M>) => Actor<M>): ActorRef => {
        const ref = this.createActor(node, actorName, create);
        spawned.push(this.actors[ref]!);
        return ref;
      },
    };
    node.factory(handle);
    for (const slot of spawned) slot.instance?.onStart?.();
  }

  private createActor<M extends Message>(node: NodeState, actorName: string, create: (ctx: ActorContext<M>) => Actor<M>): ActorRef {
    const ref = this.ref(node.name, actorName);
    const slot = this.actors[ref]!;
    assert(slot.instance === undefined, 'an actor is spawned once per incarnation', { node: node.name, actorName });
    const ctx = this.makeContext(ref, node) as ActorContext<M>;
    slot.ctx = ctx as ActorContext<Message>;
    slot.instance = create(ctx) as Actor<Message>;
    if (!node.actors.includes(ref)) node.actors.push(ref);
    return ref;
  }

  /** Run-time spawn (see ActorContext.spawn); starts the actor at once. */
  spawnOn<M extends Message>(nodeName: string, actorName: string, create: (ctx: ActorContext<M>) => Actor<M>): ActorRef {
    const node = this.nodes[this.nodeIndex(nodeName)]!;
    assert(node.up, 'spawn on a running node', { nodeName, actorName });
    const ref = this.createActor(node, actorName, create);
    this.actors[ref]!.instance?.onStart?.();
    return ref;
  }

  /** Removes an actor; messages and timers addressed to it are dropped from now on. */
  stopActor(ref: ActorRef): void {
    const slot = this.actors[ref]!;
    slot.instance = undefined;
    slot.ctx = undefined;
  }

  private makeContext(ref: ActorRef, node: NodeState): ActorContext<Message> {
    const sim = this;
    const actorName = this.actors[ref]!.name;
    const incarnation = node.incarnation;
    return {
      ref,
      node: node.name,
      name: actorName,
      incarnation,
      durable: node.durable,
      sim,
      now: () => sim.nowUs,
      send: (to, message, extraDelayUs) => sim.send(ref, to, message, extraDelayUs),
      after: (delayUs, message) => sim.scheduleTimer(ref, delayUs, message),
      every: (periodUs, message, firstDelayUs) => sim.schedulePeriodic(ref, periodUs, message, firstDelayUs ?? periodUs),
      cancel: (handle) => sim.cancelTimer(handle),
      random: (name) => sim.random.stream(`${node.name}/${actorName}/${name}`),
      note: (category, text, entities) => sim.note(node.name, category, text, entities),
      spawn: (name, create) => sim.spawnOn(node.name, name, create),
      stop: () => sim.stopActor(ref),
    };
  }

  // ---------------------------------------------------------------- dispatch

  private dispatch(kind: number, target: number, a: number, b: number, c: number, payload: unknown): void {
    if (kind === EV_CALLBACK) {
      (payload as Callback)();
      return;
    }
    const slot = this.actors[target]!;
    const node = this.nodes[slot.node]!;
    if (kind === EV_TIMER) {
      // a = incarnation that armed it; b = periodic id (0 = one-shot).
      if (!node.up || node.incarnation !== a) {
        if (b !== 0) this.periodic.delete(b);
        return;
      }
      if (node.paused) return this.hold(node, kind, target, a, b, c, payload);
      if (b !== 0) {
        const entry = this.periodic.get(b);
        if (entry === undefined) return; // cancelled while held by a pause
        entry.handle = this.queue.push(this.nowUs + entry.periodUs, EV_TIMER, target, a, b, 0, payload);
      }
      const message = payload as Message;
      this.eventsRun++;
      this.hasher.fold(TraceKind.Timer, this.nowUs, target, 0, message.type);
      if (this.capture !== null) this.capture.add({ atUs: this.nowUs, kind: TraceKind.Timer, node: node.name, actor: slot.name, type: message.type });
      const env = this.envelope;
      env.from = target as ActorRef;
      env.fromNode = node.name;
      env.fromIncarnation = node.incarnation;
      env.sentAtUs = this.nowUs;
      env.stream = -1;
      slot.instance?.onMessage(message, env);
      return;
    }
    // Deliveries. a = sender packed, b = sent at, c = receiver incarnation (EV_DELIVER) or stream id.
    const message = payload as Message;
    const fromRef = Math.floor(a / INCARNATION_LIMIT);
    const fromIncarnation = a - fromRef * INCARNATION_LIMIT;
    const fromSlot = this.actors[fromRef]!;
    const fromNode = this.nodes[fromSlot.node]!;
    if (!node.up) return this.drop(message, fromNode, node, 'dead');
    if (kind === EV_DELIVER && node.incarnation !== c) return this.drop(message, fromNode, node, 'stale-incarnation');
    if (kind === EV_STREAM && this.streams[c]!.state === 'closed') return this.drop(message, fromNode, node, 'closed');
    if (node.paused) return this.hold(node, kind, target, a, b, c, payload);
    if (fromSlot.node !== slot.node && this.partitions.cut(fromSlot.node, slot.node)) return this.drop(message, fromNode, node, 'cut');
    const instance = slot.instance;
    if (instance === undefined) return this.drop(message, fromNode, node, 'no-actor');
    this.eventsRun++;
    this.hasher.fold(TraceKind.Deliver, this.nowUs, target, fromRef * 64 + fromIncarnation, message.type);
    if (this.capture !== null) {
      this.capture.add({
        atUs: this.nowUs,
        kind: TraceKind.Deliver,
        node: node.name,
        actor: slot.name,
        type: message.type,
        fromNode: fromNode.name,
        fromActor: fromSlot.name,
        fromIncarnation,
        sentAtUs: b,
      });
    }
    const env = this.envelope;
    env.from = fromRef as ActorRef;
    env.fromNode = fromNode.name;
    env.fromIncarnation = fromIncarnation;
    env.sentAtUs = b;
    env.stream = kind === EV_STREAM ? c : -1;
    instance.onMessage(message, env);
  }

  private hold(node: NodeState, kind: number, target: number, a: number, b: number, c: number, payload: unknown): void {
    node.held.push({ kind, target, a, b, c, payload });
  }

  /** True once `startAll` ran; set-up calls after it are a bug. */
  get started(): boolean {
    return this.sealed;
  }
}
