import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/engine/index.js';
import type { EngineInbox } from '../../src/systems/ava/engine.js';
import { notifyTriggersReq } from '../../src/systems/ava/messages.js';
import type { OperatorInbox } from '../../src/systems/ava/operator.js';
import { post, typedRef } from '../../src/systems/ava/refs.js';
import type { HandlerInbox } from '../../src/systems/ava/stream-handler.js';

describe('ava: typed actor references', () => {
  it('a message compiles only towards an actor that takes it (the type checker is the test: npm test runs tsc)', () => {
    // Arrange
    const sim = new Simulation({ seed: 1 }, ['aggregator', '0xA1']);
    const engine = typedRef<EngineInbox>(sim.ref('aggregator', 'engine'));
    const handler = typedRef<HandlerInbox>(sim.ref('aggregator', 'stream-1'));
    const worker = typedRef<OperatorInbox>(sim.ref('0xA1', 'worker'));
    // Act: right inboxes compile (no actor runs, so nothing is delivered)
    post(sim, worker, engine, notifyTriggersReq('0xA1', 'T1'));
    post(sim, handler, handler, { type: 'ctx-done' });
    // @ts-expect-error the Engine has no case for a handler's ctx-done
    post(sim, handler, engine, { type: 'ctx-done' });
    // @ts-expect-error an operator process takes no NotifyTriggers
    post(sim, engine, worker, notifyTriggersReq('0xA1', 'T1'));
    // @ts-expect-error a plain ActorRef is not a typed one
    post(sim, engine, sim.ref('aggregator', 'engine'), { type: 'notify-batch' });
    // Assert
    expect(sim.messagesSent).toBe(5);
  });
});
