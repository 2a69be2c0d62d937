import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from './built.js';

/**
 * What a user of the package imports: `clustersim` (the library API) and `clustersim/engine`
 * (the engine, to write a model of one's own), resolved by Node through package.json's export
 * map (a package may import itself by name), in a fresh process, from the built JavaScript.
 */
function runModule(source: string): string {
  return execFileSync(process.execPath, ['--input-type=module', '-e', source], {
    cwd: ROOT,
    encoding: 'utf8',
  });
}

/** docs/engine.md's example, in plain JavaScript: a pinger crashed at 3.5 s and restarted at 6 s. */
const ENGINE_EXAMPLE = `
import { Simulation, msToUs } from 'clustersim/engine';
class Pinger {
  seq = 0;
  constructor(ctx, peer) { this.ctx = ctx; this.peer = peer; }
  onStart() { this.ctx.every(msToUs(1000), { type: 'ping-due' }); }
  onMessage() { this.ctx.send(this.peer, { type: 'Ping', seq: ++this.seq }); }
}
const sim = new Simulation({ seed: 7, network: { latencyUs: [msToUs(1), msToUs(10)] } }, ['a', 'b']);
const b = sim.ref('b', 'pong');
sim.defineNode('a', (node) => node.spawn('ping', (ctx) => new Pinger(ctx, b)));
sim.defineNode('b', (node) =>
  node.spawn('pong', (ctx) => ({ onMessage: (ping, env) => ctx.note('ping', '#' + ping.seq + ' from ' + env.fromNode + '#' + env.fromIncarnation) })),
);
sim.startAll();
sim.at(msToUs(3500), () => sim.crash('a'));
sim.at(msToUs(6000), () => sim.restart('a'));
sim.runUntil(msToUs(10_000));
console.log(JSON.stringify({ notes: sim.notes.map((n) => n.text), traceHash: sim.traceHash() }));
`;

describe('package exports', () => {
  beforeAll(() => {
    expect(ensureBuilt('dist/.tsbuildinfo', ['src', 'bench'])).toBe(true);
  }, 120_000);

  it("runs the engine example through 'clustersim/engine': pings before the crash, then a new incarnation counting from 1", () => {
    // Act
    const first = JSON.parse(runModule(ENGINE_EXAMPLE)) as { notes: string[]; traceHash: string };
    const second = JSON.parse(runModule(ENGINE_EXAMPLE)) as { notes: string[]; traceHash: string };
    // Assert: pings at 1, 2, 3 s from incarnation 0; none while down; at 7, 8, 9 s from incarnation
    // 1 (the one sent at 10 s is still in flight when the run ends).
    expect(first.notes).toEqual([
      '#1 from a#0',
      '#2 from a#0',
      '#3 from a#0',
      '#1 from a#1',
      '#2 from a#1',
      '#3 from a#1',
    ]);
    expect(second.traceHash).toBe(first.traceHash);
  });

  it("runs a shipped scenario through 'clustersim': the Mantis report's as-is variant reads from a foreign worker", () => {
    // Act
    const out = runModule(`
      import { loadScenario, simulate } from 'clustersim';
      const result = simulate(loadScenario('scenarios/mantis/report.yaml'), { variant: 'as-is' });
      console.log(JSON.stringify(result.violations.map((v) => v.invariant)));
    `);
    // Assert
    expect(JSON.parse(out) as string[]).toContain('no-foreign-read');
  });

  it("keeps 'clustersim/engine' to what a model needs (no queue, hasher or recorder) and offers defineSystem at the root", () => {
    // Act
    const out = runModule(`
      const engine = await import('clustersim/engine');
      const root = await import('clustersim');
      console.log(JSON.stringify({ engine: Object.keys(engine), root: Object.keys(root) }));
    `);
    const { engine, root } = JSON.parse(out) as { engine: string[]; root: string[] };
    // Assert
    expect(engine).toEqual(expect.arrayContaining(['Simulation', 'msToUs', 'RandomStreams']));
    for (const internal of ['EventQueue', 'TraceHasher', 'TraceCapture', 'ViolationRecorder'])
      expect(engine).not.toContain(internal);
    expect(root).toEqual(expect.arrayContaining(['defineSystem', 'defineConfig', 'parseDuration', 'z']));
  });
});
