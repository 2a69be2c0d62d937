// Side-by-side fuzz rate of two built checkouts, in one process (both see the same machine load):
//   node scripts/ab-fuzz.js OLD_DIR NEW_DIR [SEEDS=200] [SCENARIO=scenarios/mantis/fuzz.yaml] [ROUNDS=6]
// Each DIR is a checkout with `npm run build` done. Prints CPU seconds per batch, the median
// seeds per CPU-second of each, the ratio, and the events per seed (the work each side does).
import { cpuUsage } from 'node:process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [oldDir, newDir] = process.argv.slice(2, 4).map((d) => resolve(d));
const seeds = Number(process.argv[4] ?? 200);
const scenario = process.argv[5] ?? 'scenarios/mantis/fuzz.yaml';
const rounds = Number(process.argv[6] ?? 6);
if (oldDir === undefined || newDir === undefined) {
  console.error('usage: node scripts/ab-fuzz.js OLD_DIR NEW_DIR [SEEDS] [SCENARIO] [ROUNDS]');
  process.exit(2);
}

async function campaign(dir) {
  const load = await import(pathToFileURL(`${dir}/dist/src/scenario/load.js`).href);
  const seedRun = await import(pathToFileURL(`${dir}/dist/src/explore/seed-run.js`).href);
  const spec = { scenario: load.loadScenario(`${dir}/${scenario}`), strategy: { kind: 'random' } };
  return (seed) => {
    const outcome = seedRun.fuzzSeed(spec, seed);
    if (outcome.error !== undefined) throw new Error(`${dir} seed ${seed}: ${outcome.error}`);
    return outcome.events;
  };
}

const sides = [
  { dir: oldDir, run: await campaign(oldDir), cpu: [], events: 0 },
  { dir: newDir, run: await campaign(newDir), cpu: [], events: 0 },
];
for (const side of sides) for (let seed = 100_000; seed < 100_040; seed++) side.run(seed); // warm-up
for (let round = 0; round < rounds; round++) {
  for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
    const start = cpuUsage();
    let events = 0;
    for (let seed = 1; seed <= seeds; seed++) events += side.run(seed);
    const used = cpuUsage(start);
    side.cpu.push((used.user + used.system) / 1e6);
    side.events = events;
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
for (const side of sides)
  console.log(
    `${side.dir}: CPU s per batch ${side.cpu.map((s) => s.toFixed(2)).join(' ')}; ` +
      `${(seeds / median(side.cpu)).toFixed(1)} seeds/CPU-s; ${(side.events / seeds).toFixed(0)} events/seed`,
  );
const [a, b] = sides;
console.log(
  `new/old seeds/s: ${(median(a.cpu) / median(b.cpu)).toFixed(2)}; events/seed: ${(b.events / a.events).toFixed(2)}`,
);
