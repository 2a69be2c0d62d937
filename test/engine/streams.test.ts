import { describe, expect, it } from 'vitest';
import type { Seen } from './helpers.js';
import { contextOf, makeSim, puppet, recorder, types } from './helpers.js';

function streamWorld(latencyUs: readonly [number, number] = [5_000, 5_000]) {
  const sim = makeSim(['client', 'server'], { network: { latencyUs, halfOpenBufferMessages: 3 } });
  const log: Seen[] = [];
  const client = puppet(sim, 'client', 'c');
  const server = recorder(sim, 'server', 's', log);
  sim.startAll();
  const id = sim.openStream(client, server);
  return { sim, log, client, server, id };
}

describe('stream links', () => {
  it('delivers in send order even when latency varies per message', () => {
    // Arrange: latency uniform in [1, 10) ms would reorder plain messages.
    const { sim, log, client, id } = streamWorld([1_000, 10_000]);
    // Act
    for (let i = 0; i < 50; i++) sim.streamSend(id, client, { type: `m${i}` });
    sim.runUntil(100_000);
    // Assert
    expect(types(log)).toEqual(Array.from({ length: 50 }, (_, i) => `m${i}`));
    expect(log.every((s) => s.stream === id)).toBe(true);
  });

  it('reorders plain messages under the same latency (the contrast the stream guarantee is about)', () => {
    // Arrange
    const { sim, log, client, server } = streamWorld([1_000, 10_000]);
    // Act
    for (let i = 0; i < 50; i++) sim.send(client, server, { type: `m${i}` });
    sim.runUntil(100_000);
    // Assert
    expect(log.length).toBe(50);
    expect(types(log)).not.toEqual(Array.from({ length: 50 }, (_, i) => `m${i}`));
  });

  it('on a half-open link says ok but delivers nothing, then blocks once the buffer is full', () => {
    // Arrange
    const { sim, log, client, id } = streamWorld();
    sim.setStreamState(id, 'half-open');
    // Act
    const results = [1, 2, 3, 4, 5].map((i) => sim.streamSend(id, client, { type: `m${i}` }));
    sim.runUntil(100_000);
    // Assert
    expect(results).toEqual(['ok', 'ok', 'ok', 'blocked', 'blocked']);
    expect(log).toEqual([]);
  });

  it('fails sends on a closed link and never reopens it', () => {
    // Arrange
    const { sim, log, client, id } = streamWorld();
    sim.setStreamState(id, 'closed');
    // Act
    const whileClosed = sim.streamSend(id, client, { type: 'm' });
    sim.setStreamState(id, 'up');
    const afterReopenAttempt = sim.streamSend(id, client, { type: 'm' });
    sim.runUntil(100_000);
    // Assert
    expect(whileClosed).toBe('closed');
    expect(afterReopenAttempt).toBe('closed');
    expect(sim.streamState(id)).toBe('closed');
    expect(log).toEqual([]);
  });

  it('closes the link when an end crashes and drops what was in flight on it', () => {
    // Arrange
    const { sim, log, client, id } = streamWorld();
    sim.streamSend(id, client, { type: 'in-flight' });
    // Act
    sim.at(1_000, () => sim.crash('server'));
    sim.at(2_000, () => sim.restart('server'));
    sim.runUntil(100_000);
    // Assert
    expect(sim.streamState(id)).toBe('closed');
    expect(sim.streamSend(id, client, { type: 'later' })).toBe('closed');
    expect(log).toEqual([]);
  });

  it('loses sends while the ends are partitioned, though the sender is told ok', () => {
    // Arrange
    const { sim, log, client, id } = streamWorld();
    sim.partition(['server']);
    // Act
    const result = sim.streamSend(id, client, { type: 'lost' });
    sim.heal('all');
    sim.streamSend(id, client, { type: 'kept' });
    sim.runUntil(100_000);
    // Assert
    expect(result).toBe('ok');
    expect(types(log)).toEqual(['kept']);
  });

  it('sends the other way too, from server to client', () => {
    // Arrange
    const sim = makeSim(['client', 'server']);
    const log: Seen[] = [];
    const client = recorder(sim, 'client', 'c', log);
    const server = puppet(sim, 'server', 's');
    sim.startAll();
    const id = sim.openStream(client, server);
    // Act
    const result = sim.streamSend(id, server, { type: 'reply' });
    sim.runUntil(100_000);
    // Assert
    expect(result).toBe('ok');
    expect(types(log)).toEqual(['reply']);
    expect(contextOf(sim, server).ref).toBe(server);
  });
});
