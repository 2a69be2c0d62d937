import { assert } from './assert.js';
import type { Rng } from './random.js';
import type { Micros } from './time.js';

/** Per-message network behaviour between nodes. Defaults per CONTRACT §3. */
export interface NetworkOptions {
  /** Uniform one-way latency bounds, µs, min inclusive, max exclusive. @defaultValue [1000, 10000] */
  readonly latencyUs: readonly [Micros, Micros];
  /** Probability a message is lost. @defaultValue 0 */
  readonly dropProbability: number;
  /** Probability a message is delivered twice. @defaultValue 0 */
  readonly duplicateProbability: number;
  /** Extra delay per message, uniform, µs (the `messageDelay` fault). @defaultValue [0, 0] */
  readonly extraDelayUs: readonly [Micros, Micros];
  /** Messages a half-open stream accepts before a send blocks. @defaultValue 64 */
  readonly halfOpenBufferMessages: number;
}

export const defaultNetworkOptions: NetworkOptions = {
  latencyUs: [1000, 10_000],
  dropProbability: 0,
  duplicateProbability: 0,
  extraDelayUs: [0, 0],
  halfOpenBufferMessages: 64,
};

export function validateNetworkOptions(options: NetworkOptions): void {
  assert(options.latencyUs[0] >= 0, 'latency min >= 0', { latencyUs: options.latencyUs });
  assert(options.latencyUs[0] <= options.latencyUs[1], 'latency min <= max', {
    latencyUs: options.latencyUs,
  });
  assert(options.extraDelayUs[0] <= options.extraDelayUs[1], 'extra delay min <= max', {
    extraDelayUs: options.extraDelayUs,
  });
  assert(options.halfOpenBufferMessages >= 0, 'half-open buffer >= 0', {
    halfOpenBufferMessages: options.halfOpenBufferMessages,
  });
}

/**
 * Partition groups: nodes in different groups cannot talk. `partition(nodes)` moves those nodes
 * into a fresh group together (cut off from all others); `heal` moves them back to group 0.
 */
export class Partitions {
  private readonly group: Int32Array;
  private nextGroup = 1;
  active = 0;

  constructor(nodeCount: number) {
    this.group = new Int32Array(nodeCount);
  }

  cut(nodeA: number, nodeB: number): boolean {
    return this.group[nodeA] !== this.group[nodeB];
  }

  isolate(nodes: readonly number[]): void {
    const g = this.nextGroup++;
    for (const n of nodes) this.group[n] = g;
    this.recount();
  }

  heal(nodes: readonly number[] | 'all'): void {
    if (nodes === 'all') this.group.fill(0);
    else for (const n of nodes) this.group[n] = 0;
    this.recount();
  }

  private recount(): void {
    let count = 0;
    for (let i = 0; i < this.group.length; i++) if (this.group[i] !== 0) count++;
    this.active = count;
  }
}

/**
 * Draws per-message latency: one stream per decision (latency, extra delay, loss, duplication),
 * so switching one on never shifts another's draws.
 */
export class LatencyModel {
  constructor(
    private readonly options: NetworkOptions,
    private readonly latencyRng: Rng,
    private readonly extraDelayRng: Rng,
    private readonly dropRng: Rng,
    private readonly duplicateRng: Rng,
  ) {
    validateNetworkOptions(options);
  }

  get current(): NetworkOptions {
    return this.options;
  }

  delayUs(): Micros {
    // Indexing, not destructuring: this runs once per message.
    const latency = this.options.latencyUs;
    let delay = this.latencyRng.range(latency[0], latency[1]);
    const extra = this.options.extraDelayUs;
    if (extra[1] > 0) delay += this.extraDelayRng.range(extra[0], extra[1]);
    return delay;
  }

  dropped(): boolean {
    return this.options.dropProbability > 0 && this.dropRng.chance(this.options.dropProbability);
  }

  duplicated(): boolean {
    return (
      this.options.duplicateProbability > 0 && this.duplicateRng.chance(this.options.duplicateProbability)
    );
  }
}

/**
 * Stream links (a TCP/gRPC stream between two actors). `up`: sends arrive in order; `closed`: a
 * send fails at once with a connection error; `half-open`: a send "succeeds" but nothing arrives,
 * and once the buffer is full a send blocks (the caller's send timeout then fires).
 */
export type LinkState = 'up' | 'closed' | 'half-open';
export type StreamSendResult = 'ok' | 'closed' | 'blocked';
