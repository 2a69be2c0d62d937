import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { RandomStreams, Rng } from '../../src/engine/index.js';
import { contextOf, makeSim, puppet, recorder } from './helpers.js';

function draws(rng: Rng, count: number): number[] {
  return Array.from({ length: count }, () => rng.uniform());
}

/** What seedrandom's alea draws first for a seed string: the reference every stream must match. */
function seedrandomDraws(seedString: string, count: number): number[] {
  const alea = seedrandom.alea(seedString);
  return Array.from({ length: count }, () => alea());
}

describe('Rng', () => {
  it('draws the same numbers as seedrandom alea for the seed string "<seed>/<name>"', () => {
    // Act
    const ours = draws(new Rng(42, 'net/latency'), 1_000);
    // Assert
    expect(ours).toEqual(seedrandomDraws('42/net/latency', 1_000));
  });

  it('keeps intInclusive within both bounds and reaches each of them', () => {
    // Arrange
    const rng = new Rng(1, 'bounds');
    // Act
    const values = Array.from({ length: 2_000 }, () => rng.intInclusive(3, 7));
    // Assert
    expect(Math.min(...values)).toBe(3);
    expect(Math.max(...values)).toBe(7);
    expect(values.every(Number.isInteger)).toBe(true);
  });

  it('keeps range in [min, max) and returns min when the bounds are equal', () => {
    // Arrange
    const rng = new Rng(1, 'range');
    // Act
    const values = Array.from({ length: 2_000 }, () => rng.range(10, 13));
    // Assert
    expect(new Set(values)).toEqual(new Set([10, 11, 12]));
    expect(rng.range(5, 5)).toBe(5);
  });

  it('treats chance 0 and 1 as never and always, and rejects probabilities outside [0, 1]', () => {
    // Arrange
    const rng = new Rng(1, 'chance');
    // Act / Assert
    expect(Array.from({ length: 100 }, () => rng.chance(0)).some(Boolean)).toBe(false);
    expect(Array.from({ length: 100 }, () => rng.chance(1)).every(Boolean)).toBe(true);
    expect(() => rng.chance(1.5)).toThrow(/probability <= 1/);
    expect(() => rng.chance(-0.1)).toThrow(/probability >= 0/);
    expect(() => rng.intInclusive(5, 4)).toThrow(/min <= max/);
  });

  it('picks from a list and shuffles to a permutation', () => {
    // Arrange
    const rng = new Rng(1, 'pick');
    const items = [1, 2, 3, 4, 5, 6, 7, 8];
    // Act
    const picked = new Set(Array.from({ length: 500 }, () => rng.pick(items)));
    const shuffled = rng.shuffle([...items]);
    // Assert
    expect(picked).toEqual(new Set(items));
    expect([...shuffled].sort((x, y) => x - y)).toEqual(items);
    expect(shuffled).not.toEqual(items);
  });

  it('gives the same draws for the same (seed, name) and different ones otherwise', () => {
    // Arrange / Act
    const a = draws(new Rng(7, 'x'), 20);
    const again = draws(new Rng(7, 'x'), 20);
    const otherName = draws(new Rng(7, 'y'), 20);
    const otherSeed = draws(new Rng(8, 'x'), 20);
    // Assert
    expect(again).toEqual(a);
    expect(otherName).not.toEqual(a);
    expect(otherSeed).not.toEqual(a);
  });

  it('does not shift a stream when another stream is added or drawn from', () => {
    // Arrange
    const alone = new RandomStreams(5);
    const expected = draws(alone.stream('te/heartbeat'), 50);
    const crowded = new RandomStreams(5);
    const other = crowded.stream('new-component');
    draws(other, 1_000);
    // Act
    const actual = draws(crowded.stream('te/heartbeat'), 50);
    // Assert
    expect(actual).toEqual(expected);
    expect(crowded.stream('te/heartbeat')).toBe(crowded.stream('te/heartbeat'));
  });

  it('gives each actor its own stream, unaffected by a new actor drawing from its own', () => {
    // Arrange: the same world, once with an extra actor that draws a lot at start.
    const run = (withExtra: boolean): number[] => {
      const sim = makeSim(withExtra ? ['a', 'extra'] : ['a']);
      const seen: number[] = [];
      recorder(sim, 'a', 'a', [], undefined, (ctx) => {
        for (let i = 0; i < 10; i++) seen.push(ctx.random('jitter').intInclusive(0, 1_000_000));
      });
      if (withExtra)
        recorder(sim, 'extra', 'x', [], undefined, (ctx) => void draws(ctx.random('jitter'), 500));
      sim.startAll();
      return seen;
    };
    // Act / Assert
    expect(run(true)).toEqual(run(false));
  });

  it("seeds an actor's streams from <seed>/<node>/<actor>/<name>, one stream object per name", () => {
    // Arrange
    const sim = makeSim(['n1']);
    let streams: Rng[] = [];
    recorder(sim, 'n1', 'worker', [], undefined, (ctx) => {
      streams = [ctx.random('jitter'), ctx.random('backoff'), ctx.random('jitter'), ctx.random('backoff')];
    });
    // Act
    sim.startAll();
    // Assert: the same name twice is the same object; each is seedrandom's alea for its full name.
    const [jitter, backoff, jitterAgain, backoffAgain] = streams as [Rng, Rng, Rng, Rng];
    expect(jitterAgain).toBe(jitter);
    expect(backoffAgain).toBe(backoff);
    expect(draws(jitter, 20)).toEqual(seedrandomDraws(`${sim.random.seed}/n1/worker/jitter`, 20));
    expect(draws(backoff, 20)).toEqual(seedrandomDraws(`${sim.random.seed}/n1/worker/backoff`, 20));
    // Error messages name a stream by its full name.
    expect([jitter.streamName, backoff.streamName]).toEqual(['n1/worker/jitter', 'n1/worker/backoff']);
    expect(() => jitter.range(2, 1)).toThrow(/n1\/worker\/jitter/);
  });

  it("continues an actor's streams after its node restarts, instead of replaying them", () => {
    // Arrange: an actor that draws three numbers from each of two streams at every start.
    const sim = makeSim(['n1']);
    const perStart: number[][] = [];
    recorder(sim, 'n1', 'worker', [], undefined, (ctx) => {
      perStart.push([...draws(ctx.random('jitter'), 3), ...draws(ctx.random('backoff'), 3)]);
    });
    sim.startAll();
    // Act: crash and restart twice.
    for (const atUs of [1_000, 2_000]) {
      sim.at(atUs, () => sim.crash('n1'));
      sim.at(atUs + 500, () => sim.restart('n1'));
    }
    sim.runUntil(10_000);
    // Assert: three starts, drawing one continuous sequence per stream.
    expect(perStart).toHaveLength(3);
    expect(perStart.flatMap((d) => d.slice(0, 3))).toEqual(
      seedrandomDraws(`${sim.random.seed}/n1/worker/jitter`, 9),
    );
    expect(perStart.flatMap((d) => d.slice(3))).toEqual(
      seedrandomDraws(`${sim.random.seed}/n1/worker/backoff`, 9),
    );
  });

  it("continues a stopped actor's streams when it is spawned again under its name", () => {
    // Arrange: a parent that spawns a child drawing two numbers from each of two streams.
    const sim = makeSim(['n1']);
    const parent = puppet(sim, 'n1', 'parent');
    sim.startAll();
    const parentCtx = contextOf(sim, parent);
    const perSpawn: number[][] = [];
    const names: string[] = [];
    const spawnChild = (): void => {
      parentCtx.spawn('child', (ctx) => {
        names.push(`${ctx.node}/${ctx.name}`);
        perSpawn.push([...draws(ctx.random('jitter'), 2), ...draws(ctx.random('backoff'), 2)]);
        return { onMessage: () => ctx.stop() };
      });
    };
    // Act: spawn, stop, spawn again.
    spawnChild();
    parentCtx.send(sim.ref('n1', 'child'), { type: 'stop' });
    sim.runUntil(1_000);
    spawnChild();
    // Assert: one continuous sequence per stream across the two spawns.
    expect(names).toEqual(['n1/child', 'n1/child']);
    expect(perSpawn.flatMap((d) => d.slice(0, 2))).toEqual(
      seedrandomDraws(`${sim.random.seed}/n1/child/jitter`, 4),
    );
    expect(perSpawn.flatMap((d) => d.slice(2))).toEqual(
      seedrandomDraws(`${sim.random.seed}/n1/child/backoff`, 4),
    );
  });
});
