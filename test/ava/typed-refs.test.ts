import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/engine/index.js';
import type { EngineInbox } from '../../src/systems/ava/engine.js';
import { notifyTriggersReq } from '../../src/systems/ava/messages.js';
import type { OperatorInbox } from '../../src/systems/ava/operator.js';
import type { HandlerInbox } from '../../src/systems/ava/stream-handler.js';

describe('ava: typed actor references', () => {
  it('a message compiles only towards an actor that takes it (the type checker is the test: npm test runs tsc)', () => {
    // Arrange
    const sim = new Simulation({ seed: 1 }, ['aggregator', '0xA1']);
    const engine = sim.ref<EngineInbox>('aggregator', 'engine');
    const handler = sim.ref<HandlerInbox>('aggregator', 'stream-1');
    const worker = sim.ref<OperatorInbox>('0xA1', 'worker');
    // Act: right inboxes compile (no actor runs, so nothing is delivered)
    sim.send(worker, engine, notifyTriggersReq('0xA1', 'T1'));
    sim.send(handler, handler, { type: 'ctx-done' });
    // @ts-expect-error the Engine has no case for a handler's ctx-done
    sim.send(handler, engine, { type: 'ctx-done' });
    // @ts-expect-error an operator process takes no NotifyTriggers
    sim.send(engine, worker, notifyTriggersReq('0xA1', 'T1'));
    // Assert
    expect(sim.messagesSent).toBe(4);
  });
});
