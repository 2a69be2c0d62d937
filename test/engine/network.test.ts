import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/engine/index.js';
import type { Seen } from './helpers.js';
import { makeSim, puppet, recorder } from './helpers.js';

const MESSAGES = 10_000;

function sendMany(
  network: { dropProbability?: number; duplicateProbability?: number; latencyUs?: readonly [number, number] },
  seed = 3,
) {
  const sim = makeSim(['a', 'b'], { seed, network: { latencyUs: [1_000, 10_000], ...network } });
  const log: Seen[] = [];
  const a = puppet(sim, 'a', 'a');
  const b = recorder(sim, 'b', 'b', log);
  sim.startAll();
  for (let i = 0; i < MESSAGES; i++) sim.send(a, b, { type: 'm' });
  sim.runUntil(1_000_000);
  return { sim, log };
}

describe('network model', () => {
  it('loses about dropProbability of the messages', () => {
    // Arrange / Act
    const { sim, log } = sendMany({ dropProbability: 0.2 });
    // Assert: 8000 expected, sd = 40; allow 5 sd.
    expect(log.length).toBeGreaterThan(8_000 - 200);
    expect(log.length).toBeLessThan(8_000 + 200);
    expect(sim.messagesDropped).toBe(MESSAGES - log.length);
  });

  it('delivers about duplicateProbability of the messages twice', () => {
    // Arrange / Act
    const { log } = sendMany({ duplicateProbability: 0.1 });
    // Assert: 11000 expected, sd = 30; allow 5 sd.
    expect(log.length).toBeGreaterThan(11_000 - 150);
    expect(log.length).toBeLessThan(11_000 + 150);
  });

  it('neither drops nor duplicates by default', () => {
    // Arrange / Act
    const { sim, log } = sendMany({});
    // Assert
    expect(log.length).toBe(MESSAGES);
    expect(sim.messagesDropped).toBe(0);
  });

  it('draws latency uniformly in [min, max)', () => {
    // Arrange / Act
    const { log } = sendMany({});
    const latencies = log.map((s) => s.atUs - s.sentAtUs);
    // Assert
    expect(Math.min(...latencies)).toBeGreaterThanOrEqual(1_000);
    expect(Math.max(...latencies)).toBeLessThan(10_000);
    const mean = latencies.reduce((x, y) => x + y, 0) / latencies.length;
    expect(Math.abs(mean - 5_500)).toBeLessThan(100);
  });

  it('draws the extra message delay from its own stream, leaving every latency draw in place', () => {
    // Arrange: the same seed with and without an extra delay in [0, 1000) µs.
    const delays = (extraDelayUs: readonly [number, number]): Map<unknown, number> => {
      const sim = makeSim(['a', 'b'], { seed: 3, network: { latencyUs: [1_000, 10_000], extraDelayUs } });
      const log: Seen[] = [];
      const a = puppet(sim, 'a', 'a');
      const b = recorder(sim, 'b', 'b', log);
      sim.startAll();
      for (let i = 0; i < 1_000; i++) sim.send(a, b, { type: 'm', seq: i } as Message);
      sim.runUntil(1_000_000);
      return new Map(log.map((s) => [s.message.seq, s.atUs - s.sentAtUs]));
    };
    // Act
    const plain = delays([0, 0]);
    const delayed = delays([0, 1_000]);
    // Assert: each message is late by its extra delay only.
    expect(delayed.size).toBe(1_000);
    const lateBy = [...delayed].map(([seq, us]) => us - (plain.get(seq) as number));
    expect(Math.min(...lateBy)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...lateBy)).toBeLessThan(1_000);
    expect(new Set(lateBy).size).toBeGreaterThan(100);
  });

  it('counts messages by type', () => {
    // Arrange / Act
    const { sim } = sendMany({ dropProbability: 0.5 });
    // Assert: drops are counted as sent.
    expect(sim.messagesByType.get('m')).toBe(MESSAGES);
    expect(sim.messagesSent).toBe(MESSAGES);
  });
});
