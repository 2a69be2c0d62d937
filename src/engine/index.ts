/**
 * The engine's public API: what models and benchmarks use (the simulation, actors, streams,
 * time). The queue, hasher and recorder behind it are internal. Knows nothing of any system.
 */
export { assert, assertNever, AssertionError, fail, LimitError } from './assert.js';
export type {
  LivenessInvariant,
  SafetyInvariant,
  Violation,
  ViolationDetail,
  ViolationEpisode,
} from './checks.js';
export type { WatchMatch } from './changes.js';
export { ChangeWatch } from './changes.js';
export type { LinkState, NetworkOptions, StreamSendResult } from './network.js';
export { defaultNetworkOptions } from './network.js';
export { RandomStreams, Rng } from './random.js';
export type {
  Actor,
  ActorContext,
  ActorRef,
  Envelope,
  Message,
  NodeFactory,
  NodeHandle,
  Note,
  SimulationOptions,
  TimerHandle,
  ViolationListener,
} from './simulation.js';
export { Simulation } from './simulation.js';
export type { Micros } from './time.js';
export { formatSimTime, msToUs, US_PER_MS, US_PER_S, usToMs } from './time.js';
export type { DropReason, TraceRecord } from './trace.js';
export { FAULT_TRACE_KINDS, TraceKind } from './trace.js';
export type { ModelActorContext, ModelNodeHandle, ModelSimulation } from './model-api.js';
