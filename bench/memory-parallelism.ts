/**
 * A calibration for heartbeat-storm's large sizes, not a CONTRACT benchmark: how fast this machine
 * serves independent cache misses to JavaScript, in the shape of the engine's cache-warming walks
 * (gather 100 random objects through an array, then load a field of each). Compare its ns per
 * object at 10^3 and 10^5 objects with what the walks cost per timer (docs/bench.md).
 *
 *   node dist/bench/memory-parallelism.js [objects=100000]
 */

class Payload {
  a: number;
  b: number;
  c: null = null;
  d = 0;
  e = 0;
  f = 0;
  g = 0;
  h = 0;

  constructor(i: number) {
    this.a = i;
    this.b = i + 1;
  }
}

const BATCH = 100;
const BATCHES = 20_000;

function measure(objects: number): number {
  // Each object followed by another of about the same size, as actors' objects sit among others.
  const all: object[] = [];
  for (let i = 0; i < objects; i++)
    all.push(new Payload(i), { p1: 1, p2: 2, p3: 3, p4: 4, p5: 5, p6: 6, p7: 7 });
  const table = all.filter((o): o is Payload => o instanceof Payload);
  let x = 1;
  const order = new Int32Array(BATCH * BATCHES);
  for (let i = 0; i < order.length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    order[i] = Math.floor((x / 2 ** 32) * objects);
  }
  const picked: Payload[] = new Array<Payload>(BATCH);
  const pass = (): number => {
    let sink = 0;
    for (let b = 0; b < BATCHES; b++) {
      const base = b * BATCH;
      for (let k = 0; k < BATCH; k++) picked[k] = table[order[base + k] as number] as Payload;
      for (let k = 0; k < BATCH; k++) sink += (picked[k] as Payload).a;
    }
    return sink;
  };
  pass(); // warm-up: JIT and first touch
  const startNs = process.hrtime.bigint();
  const sink = pass();
  const ns = Number(process.hrtime.bigint() - startNs);
  if (sink < 0) throw new Error('unreachable');
  return ns / (BATCH * BATCHES);
}

const objects = Number(process.argv[2] ?? 100_000);
if (!(Number.isInteger(objects) && objects > 0)) {
  process.stderr.write('usage: node dist/bench/memory-parallelism.js [objects]\n');
  process.exitCode = 2;
} else {
  process.stdout.write(
    `${objects} objects: ${measure(objects).toFixed(1)} ns per random object (gathered in batches of ${BATCH})\n`,
  );
}
