import { describe, expect, it } from 'vitest';
import type { Seen } from './helpers.js';
import { contextOf, makeSim, puppet, recorder, types } from './helpers.js';

describe('crash and restart', () => {
  it('drops messages in flight to a crashed node, even if it is back before they arrive', () => {
    // Arrange: a -> b takes 5 ms; b crashes at 1 ms and is back at 2 ms.
    const sim = makeSim(['a', 'b']);
    const log: Seen[] = [];
    const a = puppet(sim, 'a', 'a');
    const b = recorder(sim, 'b', 'b', log);
    sim.startAll();
    contextOf(sim, a).send(b, { type: 'to-old-b' });
    sim.at(1_000, () => sim.crash('b'));
    sim.at(2_000, () => sim.restart('b'));
    sim.at(3_000, () => contextOf(sim, a).send(b, { type: 'to-new-b' }));
    // Act
    sim.runUntil(20_000);
    // Assert
    expect(types(log)).toEqual(['to-new-b']);
    expect(sim.messagesDropped).toBe(1);
  });

  it('drops messages that arrive while the node is down', () => {
    // Arrange
    const sim = makeSim(['a', 'b']);
    const log: Seen[] = [];
    const a = puppet(sim, 'a', 'a');
    const b = recorder(sim, 'b', 'b', log);
    sim.startAll();
    sim.at(1_000, () => sim.crash('b'));
    sim.at(2_000, () => contextOf(sim, a).send(b, { type: 'while-down' }));
    sim.at(50_000, () => sim.restart('b'));
    // Act
    sim.runUntil(100_000);
    // Assert
    expect(log).toEqual([]);
    expect(sim.messagesDropped).toBe(1);
  });

  it('drops timers of the crashed incarnation, one-shot and periodic, and restarts the node fresh', () => {
    // Arrange: the actor arms a 10 ms one-shot and a 4 ms periodic timer on every start.
    const sim = makeSim(['n']);
    const log: Seen[] = [];
    const starts: number[] = [];
    recorder(sim, 'n', 'a', log, undefined, (ctx) => {
      starts.push(ctx.incarnation);
      if (ctx.incarnation === 0) {
        ctx.after(10_000, { type: 'old-one-shot' });
        ctx.every(4_000, { type: 'old-tick' });
      }
    });
    sim.startAll();
    sim.at(5_000, () => sim.crash('n'));
    sim.at(6_000, () => sim.restart('n'));
    // Act
    sim.runUntil(30_000);
    // Assert: the only firing is the periodic one at 4 ms, before the crash.
    expect(log.map((s) => `${s.type}@${s.atUs}`)).toEqual(['old-tick@4000']);
    expect(starts).toEqual([0, 1]);
    expect(sim.incarnationOf('n')).toBe(1);
    expect(sim.pendingEvents()).toBe(0);
  });

  it('delivers messages the dead incarnation sent, marked with its old incarnation', () => {
    // Arrange: a sends at 0 (arrives at 5 ms), crashes at 1 ms, restarts at 2 ms and sends again.
    const sim = makeSim(['a', 'b']);
    const log: Seen[] = [];
    const a = puppet(sim, 'a', 'a');
    const b = recorder(sim, 'b', 'b', log);
    sim.startAll();
    contextOf(sim, a).send(b, { type: 'from-old-a' });
    sim.at(1_000, () => sim.crash('a'));
    sim.at(2_000, () => sim.restart('a'));
    sim.at(3_000, () => contextOf(sim, a).send(b, { type: 'from-new-a' }));
    // Act
    sim.runUntil(20_000);
    // Assert
    expect(log.map((s) => [s.type, s.fromNode, s.fromIncarnation, s.sentAtUs, s.atUs])).toEqual([
      ['from-old-a', 'a', 0, 0, 5_000],
      ['from-new-a', 'a', 1, 3_000, 8_000],
    ]);
    expect(sim.incarnationOf('a')).toBe(1);
  });

  it('keeps durable state across a crash and nothing else', () => {
    // Arrange: each incarnation counts in a field and in durable state.
    const sim = makeSim(['n']);
    const seen: { field: number; durable: number }[] = [];
    sim.defineNode('n', (node) => {
      node.spawn('a', (ctx) => {
        let field = 0;
        return {
          onStart: () => void ctx.every(1_000, { type: 'tick' }),
          onMessage: () => {
            field++;
            const durable = ((ctx.durable.get('count') as number | undefined) ?? 0) + 1;
            ctx.durable.set('count', durable);
            seen.push({ field, durable });
          },
        };
      });
    });
    sim.startAll();
    sim.at(2_500, () => sim.crash('n'));
    sim.at(3_000, () => sim.restart('n'));
    // Act
    sim.runUntil(5_000);
    // Assert: ticks at 1, 2 (incarnation 0), then 4, 5 (incarnation 1, armed at 3).
    expect(seen).toEqual([
      { field: 1, durable: 1 },
      { field: 2, durable: 2 },
      { field: 1, durable: 3 },
      { field: 2, durable: 4 },
    ]);
  });

  it('hides the actor object while its node is down', () => {
    // Arrange
    const sim = makeSim(['n']);
    const ref = puppet(sim, 'n', 'a');
    sim.startAll();
    // Act
    sim.crash('n');
    // Assert
    expect(sim.isUp('n')).toBe(false);
    expect(sim.instance(ref)).toBeUndefined();
    sim.restart('n');
    expect(sim.instance(ref)).toBeDefined();
  });
});

describe('pause', () => {
  it('holds messages and timers while paused and replays them in order on resume', () => {
    // Arrange: b pauses 10..60 ms; messages arrive at 20, 30 and 40 ms, b's timer is due at 25 ms.
    const sim = makeSim(['a', 'b']);
    const log: Seen[] = [];
    const a = puppet(sim, 'a', 'a');
    const b = puppet(sim, 'b', 'b', log);
    sim.startAll();
    contextOf(sim, b).after(25_000, { type: 'timer' });
    sim.at(10_000, () => sim.pause('b', 50_000));
    for (const [sendAt, type] of [
      [15_000, 'm1'],
      [25_000, 'm2'],
      [35_000, 'm3'],
    ] as const) {
      sim.at(sendAt, () => contextOf(sim, a).send(b, { type }));
    }
    sim.at(70_000, () => contextOf(sim, a).send(b, { type: 'after' }));
    // Act
    sim.runUntil(100_000);
    // Assert
    expect(types(log)).toEqual(['m1', 'timer', 'm2', 'm3', 'after']);
    expect(log.slice(0, 4).every((s) => s.atUs === 60_000)).toBe(true);
    expect(log[0]?.sentAtUs).toBe(15_000);
    expect(log[4]?.atUs).toBe(75_000);
  });

  it('lets a timer held by a pause be cancelled', () => {
    // Arrange
    const sim = makeSim(['n']);
    const log: Seen[] = [];
    const ref = puppet(sim, 'n', 'a', log);
    sim.startAll();
    const handle = contextOf(sim, ref).after(20_000, { type: 'held' });
    sim.at(10_000, () => sim.pause('n', 50_000));
    let cancelled: boolean | null = null;
    sim.at(30_000, () => (cancelled = contextOf(sim, ref).cancel(handle)));
    // Act
    sim.runUntil(100_000);
    // Assert
    expect(cancelled).toBe(true);
    expect(log).toEqual([]);
    expect(sim.pendingEvents()).toBe(0);
  });

  it('forgets what it held when the node crashes while paused', () => {
    // Arrange
    const sim = makeSim(['a', 'b']);
    const log: Seen[] = [];
    const a = puppet(sim, 'a', 'a');
    const b = recorder(sim, 'b', 'b', log);
    sim.startAll();
    sim.at(1_000, () => sim.pause('b', 50_000));
    sim.at(2_000, () => contextOf(sim, a).send(b, { type: 'held' }));
    sim.at(20_000, () => sim.crash('b'));
    sim.at(30_000, () => sim.restart('b'));
    // Act
    sim.runUntil(100_000);
    // Assert
    expect(log).toEqual([]);
    expect(sim.isPaused('b')).toBe(false);
    expect(sim.pendingEvents()).toBe(0);
  });
});

describe('partition and heal', () => {
  it('drops sends across a partition and delivers them again after heal', () => {
    // Arrange
    const sim = makeSim(['a', 'b', 'c']);
    const log: Seen[] = [];
    const a = puppet(sim, 'a', 'a');
    const b = recorder(sim, 'b', 'b', log);
    puppet(sim, 'c', 'c');
    sim.startAll();
    sim.at(1_000, () => sim.partition(['b']));
    sim.at(2_000, () => contextOf(sim, a).send(b, { type: 'during' }));
    sim.at(3_000, () => contextOf(sim, sim.ref('c', 'c')).send(b, { type: 'during-from-c' }));
    sim.at(10_000, () => sim.heal(['b']));
    sim.at(11_000, () => contextOf(sim, a).send(b, { type: 'after' }));
    // Act
    sim.runUntil(50_000);
    // Assert
    expect(types(log)).toEqual(['after']);
    expect(sim.messagesDropped).toBe(2);
  });

  it('drops a message in flight to a node that is cut off before it arrives', () => {
    // Arrange: sent at 0, arrives at 5 ms; the cut is at 1 ms and healed at 10 ms.
    const sim = makeSim(['a', 'b']);
    const log: Seen[] = [];
    const a = puppet(sim, 'a', 'a');
    const b = recorder(sim, 'b', 'b', log);
    sim.startAll();
    contextOf(sim, a).send(b, { type: 'in-flight' });
    sim.at(1_000, () => sim.partition(['a']));
    sim.at(10_000, () => sim.heal('all'));
    // Act
    sim.runUntil(50_000);
    // Assert
    expect(log).toEqual([]);
    expect(sim.messagesDropped).toBe(1);
  });

  it('keeps nodes on the same side talking', () => {
    // Arrange: a and b are cut off together; they still reach each other, not c.
    const sim = makeSim(['a', 'b', 'c']);
    const logB: Seen[] = [];
    const logC: Seen[] = [];
    const a = puppet(sim, 'a', 'a');
    const b = recorder(sim, 'b', 'b', logB);
    const c = recorder(sim, 'c', 'c', logC);
    sim.startAll();
    sim.partition(['a', 'b']);
    contextOf(sim, a).send(b, { type: 'same-side' });
    contextOf(sim, a).send(c, { type: 'other-side' });
    // Act
    sim.runUntil(50_000);
    // Assert
    expect(types(logB)).toEqual(['same-side']);
    expect(logC).toEqual([]);
  });
});
