import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  writeFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captured } from '../helpers/cli-capture.js';
import { parseScenario } from '../../src/scenario/load.js';

// fuzz, shrink, merge and compare spawn the built CLI once each, as a user runs it (run's spawned
// smoke test is in test/cli/cli-spawn.test.ts), and so do the signal tests; the rest call the
// CLI's main() in-process (pool threads still run the built worker).
const dir = mkdtempSync(join(tmpdir(), 'clustersim-cli-explore-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The built CLI in a child process, as a user runs it (one smoke test per command, signals). */
function spawned(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['bin/clustersim.js', ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The CLI's main() in this process: the same commands without a node start-up each. */
async function cli(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await captured(() => main(['node', 'clustersim', '--no-color', ...args]));
  return { status: code, stdout, stderr };
}

/** Runs the CLI as users do (bin/clustersim.js) and sends it `signal` once `trigger` appears on its stderr. */
async function signalledCli(
  signal: NodeJS.Signals,
  trigger: string,
  ...args: string[]
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['bin/clustersim.js', ...args], {
    env: { ...process.env, NO_COLOR: '1' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const status = await new Promise<number | null>((resolve) => {
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes(trigger) && !child.killed) child.kill(signal);
    });
    child.on('exit', (code) => resolve(code));
  });
  return { status, stdout, stderr };
}

/** Runs the CLI and sends it a Ctrl-C (SIGINT) once `trigger` appears on its stderr. */
function interruptedCli(trigger: string, ...args: string[]): ReturnType<typeof signalledCli> {
  return signalledCli('SIGINT', trigger, ...args);
}

describe('clustersim fuzz / shrink / merge / compare (CLI)', () => {
  it('should exit 1 with findings whose repro replays under `run` and shrinks under `shrink`', async () => {
    // Act: fuzz as a user runs it (the spawned smoke test of fuzz); the replays in-process.
    const out = join(dir, 'findings');
    const fuzz = spawned(
      'fuzz',
      'scenarios/ava/fuzz.yaml',
      '--variant',
      'pre',
      '--seeds',
      '12',
      '--workers',
      '1',
      '--out',
      out,
      '--json',
      '--no-shrink',
      '--max-repros',
      '0',
    );
    // Assert
    expect(fuzz.status).toBe(1);
    const report = JSON.parse(fuzz.stdout) as {
      seedsRun: number;
      seedsPerSecond: number;
      wallS: number;
      findings: { seed: number; invariant: string; atMs: number; repro: string | null }[];
    };
    expect(report.seedsRun).toBe(12);
    // The rate counts the seeds' own time: never below the whole campaign's average (wallS is
    // rounded to 0.01 s).
    expect(report.seedsPerSecond).toBeGreaterThanOrEqual(report.seedsRun / (report.wallS + 0.01));
    const first = report.findings[0];
    expect(first?.repro).toBeTruthy();
    const repro = first?.repro as string;
    const run = await cli('run', repro, '--json');
    expect(run.status).toBe(1);
    expect(run.stderr).not.toMatch(/NON-DETERMINISM/);
    const replay = JSON.parse(run.stdout) as { traceHash: string; violations: { invariant: string }[] };
    expect(replay.traceHash).toBe(parseScenario(readFileSync(repro, 'utf8'), repro).traceHash);
    expect(replay.violations.map((v) => v.invariant)).toContain(first?.invariant);

    const shrink = await cli('shrink', repro, '--json');
    expect(shrink.status).toBe(0);
    const shrunk = JSON.parse(shrink.stdout) as {
      out: string;
      invariant: string;
      before: { steps: number };
      after: { steps: number };
    };
    expect(shrunk.invariant).toBe(first?.invariant);
    expect(shrunk.after.steps).toBeLessThan(shrunk.before.steps);
    const rerun = await cli('run', shrunk.out, '--json');
    expect(rerun.status).toBe(1);
    expect(
      (JSON.parse(rerun.stdout) as { violations: { invariant: string }[] }).violations.map(
        (v) => v.invariant,
      ),
    ).toContain(first?.invariant);
  });

  it('should shrink a fuzz finding straight from the fuzz scenario with --seed', async () => {
    // Act: fuzz's first ava finding under pre is seed 3 (live-owner); shrink the fuzz file at it,
    // as a user runs it (the spawned smoke test of shrink), without --out.
    const cwd = join(dir, 'shrink-cwd');
    mkdirSync(cwd);
    const shrink = spawnSync(
      process.execPath,
      [
        resolve('bin/clustersim.js'),
        'shrink',
        resolve('scenarios/ava/fuzz.yaml'),
        '--seed',
        '3',
        '--variant',
        'pre',
        '--invariant',
        'live-owner',
        '--json',
      ],
      { cwd, encoding: 'utf8' },
    );
    // Assert: without --out it goes where fuzz puts findings, not beside the scenario.
    expect(shrink.status).toBe(0);
    expect(JSON.parse(shrink.stdout)).toMatchObject({
      status: 'shrunk',
      invariant: 'live-owner',
      variant: 'pre',
      out: join('clustersim-findings', 'ava-fuzz-seed3.min.yaml'),
    });
    const out = join(cwd, 'clustersim-findings', 'ava-fuzz-seed3.min.yaml');
    const shrunk = parseScenario(readFileSync(out, 'utf8'), out);
    expect(shrunk.seed).toBe(3);
    expect(shrunk.faults).toBeUndefined();
    const rerun = await cli('run', out, '--json');
    expect(
      (JSON.parse(rerun.stdout) as { violations: { invariant: string }[] }).violations.map(
        (v) => v.invariant,
      ),
    ).toContain('live-owner');
  });

  it('should exit 1 from shrink on a scenario that does not fail, and 2 on bad input', async () => {
    expect(
      (await cli('shrink', 'scenarios/ava/fuzz.yaml', '--variant', 'fixed', '--invariant', 'approved-only'))
        .status,
    ).toBe(1);
    expect((await cli('fuzz', 'scenarios/ava/fuzz.yaml', '--shard', '4/3')).status).toBe(2);
    expect((await cli('fuzz', 'scenarios/ava/fuzz.yaml', '--variant', 'nope')).status).toBe(2);
    expect((await cli('compare', 'scenarios/ava/fuzz.yaml', '--variants', 'pre,nope')).status).toBe(2);
    const unknown = await cli('shrink', 'scenarios/ava/fuzz.yaml', '--invariant', 'bogus');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(
      /^clustersim: --invariant: unknown ava invariant 'bogus' \(allowed: .*approved-only/,
    );
  });

  it('should merge shard reports into the unsharded findings', async () => {
    // Act
    const args = [
      'fuzz',
      'scenarios/ava/fuzz.yaml',
      '--variant',
      'pre',
      '--seeds',
      '10',
      '--workers',
      '1',
      '--no-shrink',
      '--max-repros',
      '0',
      '--out',
      join(dir, 'm'),
    ];
    const whole = JSON.parse((await cli(...args, '--json')).stdout) as {
      findings: { seed: number; invariant: string; atMs: number }[];
    };
    for (const i of [1, 2])
      await cli(...args, '--shard', `${i}/2`, '--report', join(dir, `shard-${i}.json`), '--quiet');
    const merge = spawned('merge', join(dir, 'shard-1.json'), join(dir, 'shard-2.json'), '--json');
    // Assert
    expect(merge.status).toBe(0);
    const merged = JSON.parse(merge.stdout) as {
      findings: { seed: number; invariant: string; atMs: number }[];
    };
    const key = (f: { seed: number; invariant: string; atMs: number }): string =>
      `${f.seed} ${f.invariant} ${f.atMs}`;
    expect(merged.findings.map(key)).toEqual(whole.findings.map(key));
    // In words: the speed is the shards' together, and merge itself writes no repro file.
    const text = (await cli('merge', join(dir, 'shard-1.json'), join(dir, 'shard-2.json'))).stdout;
    expect(text).toMatch(/seeds\/s summed over 2 shards, 2 workers in all/);
    expect(text).not.toMatch(/repro files? written;/);
  });

  it('should write a shrunk copy of every repro it writes, not only the first of each invariant', async () => {
    // Act
    const out = join(dir, 'every');
    const fuzz = await cli(
      'fuzz',
      'scenarios/ava/fuzz.yaml',
      '--variant',
      'pre',
      '--seeds',
      '12',
      '--workers',
      '2',
      '--max-repros',
      '4',
      '--out',
      out,
      '--json',
    );
    // Assert
    const report = JSON.parse(fuzz.stdout) as {
      findings: { invariant: string; signature?: string; repro: string | null; shrunk?: string | null }[];
    };
    const withRepro = report.findings.filter((f) => f.repro !== null);
    // --max-repros 4 in all, but the first finding of each cause (signature) always gets one.
    const causes = new Set(report.findings.map((f) => f.signature));
    expect(withRepro.length).toBe(Math.max(4, causes.size));
    for (const f of withRepro) {
      expect(f.shrunk).toBe((f.repro as string).replace(/\.yaml$/, '.min.yaml'));
      expect(existsSync(f.shrunk as string)).toBe(true);
    }
  });

  it('should list every finding with fuzz --verbose, and every model metric with compare --verbose', async () => {
    // Act
    const fuzz = await cli(
      'fuzz',
      'scenarios/ava/fuzz.yaml',
      '--variant',
      'pre',
      '--seeds',
      '8',
      '--workers',
      '1',
      '--no-shrink',
      '--max-repros',
      '1',
      '--out',
      join(dir, 'v'),
      '--verbose',
      '--no-progress',
    );
    const compare = await cli(
      'compare',
      'scenarios/ava/fuzz.yaml',
      '--variants',
      'pre,fixed',
      '--seeds',
      '3',
      '--workers',
      '1',
      '--verbose',
    );
    // Assert: one line per invariant each violating seed violates, in seed order, under the summary.
    const violating = Number(/(\d+) seeds? violated an invariant/.exec(fuzz.stdout)?.[1]);
    const listed = fuzz.stdout.split('\n').filter((line) => /^ {2}seed \d+ /.test(line));
    expect(violating).toBeGreaterThan(1);
    expect(new Set(listed.map((line) => /seed (\d+)/.exec(line)?.[1])).size).toBe(violating);
    const seeds = listed.map((line) => Number(/seed (\d+)/.exec(line)?.[1]));
    expect(seeds).toEqual([...seeds].sort((a, b) => a - b));
    // --max-repros 1, but the first finding of each invariant always gets a repro.
    const written = Number(/(\d+) repro files? written/.exec(fuzz.stdout)?.[1]);
    expect(listed.filter((line) => line.includes('no repro'))).toHaveLength(listed.length - written);
    expect(compare.stdout).toMatch(/^model metrics, mean per seed:/m);
    expect(compare.stdout).toMatch(/^ {2}tickBodies +\d+ +\d+$/m);
    // compare --verbose names the violating seeds per variant and invariant (no fuzz to find them).
    const section = compare.stdout.split('violating seeds, per variant and invariant:\n')[1] ?? '';
    expect(section).not.toBe('');
    const pre = /^ {2}pre:\n((?: {4}.*\n)+)/m.exec(section)?.[1] ?? '';
    const rows = pre
      .trimEnd()
      .split('\n')
      .map((line) => /^ {4}(\S+) \((\d+)\): ([\d ]+)$/.exec(line));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const listedSeeds = (row?.[3] ?? '').split(' ').map(Number);
      expect(listedSeeds).toHaveLength(Number(row?.[2]));
      expect(listedSeeds.every((seed) => seed >= 1 && seed <= 3)).toBe(true);
    }
  });

  it("should take compare's variants from --variant as well as --variants", () => {
    const both = spawned(
      'compare',
      'scenarios/ava/fuzz.yaml',
      '--variants',
      'pre',
      '--variant',
      'head',
      '--seeds',
      '2',
      '--workers',
      '1',
      '--json',
    );
    expect(both.status).toBe(0);
    expect(Object.keys((JSON.parse(both.stdout) as { variants: Record<string, unknown> }).variants)).toEqual([
      'pre',
      'head',
    ]);
  });

  it('should print identical columns when compare runs a variant against itself', async () => {
    // Act
    const compare = await cli(
      'compare',
      'scenarios/ava/fuzz.yaml',
      '--variants',
      'pre,pre',
      '--seeds',
      '6',
      '--workers',
      '2',
      '--json',
    );
    // Assert
    expect(compare.status).toBe(0);
    const report = JSON.parse(compare.stdout) as { seeds: number; variants: Record<string, unknown> };
    expect(report.seeds).toBe(6);
    expect(report.variants.pre).toEqual(report.variants['pre#2']);
    expect(report.variants.pre).toMatchObject({
      violatingSeeds: expect.any(Object),
      violationSeconds: expect.any(Number),
      messages: { total: expect.any(Number) },
    });
  });

  it.each([
    { signal: 'SIGINT' as const, code: 130 },
    { signal: 'SIGTERM' as const, code: 143 },
    { signal: 'SIGHUP' as const, code: 129 },
  ])(
    'should stop cleanly on $signal, print the summary, write --report, keep the repros and exit $code',
    async ({ signal, code }) => {
      // Arrange
      const out = join(dir, `signal-${signal}`);
      const reportFile = join(dir, `signal-${signal}.json`);
      // Act: signal once the first repro is reported.
      const { status, stdout, stderr } = await signalledCli(
        signal,
        '→',
        'fuzz',
        '--report',
        reportFile,
        'scenarios/ava/fuzz.yaml',
        '--variant',
        'pre',
        '--seeds',
        '100000',
        '--workers',
        '1',
        '--out',
        out,
        '--no-shrink',
      );
      // Assert
      expect(status).toBe(code);
      expect(stdout).toMatch(/stopped early: interrupted/);
      const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { stopped: string; seedsRun: number };
      expect(report.stopped).toBe('interrupted');
      const resume = /resume with: (?:npx )?clustersim fuzz (.*)$/m.exec(stderr)?.[1] ?? '';
      expect(resume).toContain(`--from-seed ${1 + report.seedsRun} --seeds ${100000 - report.seedsRun}`);
      const files = readdirSync(out).filter((f) => f.endsWith('.yaml'));
      expect(files.length).toBeGreaterThan(0);
      for (const f of files) expect(() => parseScenario(readFileSync(join(out, f), 'utf8'), f)).not.toThrow();
      expect(readdirSync(out).some((f) => f.endsWith('.tmp'))).toBe(false);
      expect(existsSync(out)).toBe(true);
    },
  );

  it('should stop a campaign whose launcher died without passing a signal on (npx on SIGTERM), keeping its report', async () => {
    // Arrange: a launcher that starts the CLI as `npm exec` does (through a shell) and is then
    // killed outright, so the CLI never gets a signal: it must notice it is orphaned.
    const reportFile = join(dir, 'orphan.json');
    const script = `const { spawn } = require('node:child_process');
const child = spawn('sh', ['-c', 'exec node bin/clustersim.js fuzz scenarios/ava/fuzz.yaml --variant pre --seeds 100000 --workers 1 --no-shrink --out ${join(dir, 'orphan')} --report ${reportFile}'], { stdio: 'ignore' });
console.log(child.pid);
setInterval(() => {}, 1000);`;
    const launcher = spawn(process.execPath, ['-e', script]);
    const childPid = await new Promise<number>((resolve) =>
      launcher.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))),
    );
    await new Promise((resolve) => setTimeout(resolve, 2500));
    // Act
    launcher.kill('SIGKILL');
    // Assert: the orphan stops within seconds and writes its report.
    const alive = (): boolean => {
      try {
        process.kill(childPid, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 100 && alive(); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    if (alive()) process.kill(childPid, 'SIGKILL');
    expect(alive()).toBe(false);
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { stopped: string };
    expect(report.stopped).toBe('interrupted');
  });

  it('should stop `shrink` on SIGTERM, write the smaller failing scenario it has and exit 143', async () => {
    // Arrange: a long fuzz profile (150 fault steps at seed 4), shrunk from the scenario at a seed.
    const scenario = join(dir, 'long-shrink.yaml');
    writeFileSync(
      scenario,
      readFileSync('scenarios/mantis/fuzz.yaml', 'utf8')
        .replace(/^name: mantis-fuzz$/m, 'name: long-shrink')
        .replace(/^duration: 15m$/m, 'duration: 2h')
        .replace('crash: { every: 3m', 'crash: { every: 1m'),
    );
    const out = join(dir, 'long-shrink.min.yaml');
    // Act: SIGTERM as soon as the shrink starts.
    const { status, stderr } = await signalledCli(
      'SIGTERM',
      'shrinking',
      'shrink',
      scenario,
      '--seed',
      '4',
      '--out',
      out,
    );
    // Assert
    expect(status).toBe(143);
    expect(stderr).toMatch(/may not be minimal; go on with: (?:npx )?clustersim shrink /);
    const written = parseScenario(readFileSync(out, 'utf8'), out);
    expect(written.expect?.['as-is']?.length).toBeGreaterThan(0);
  });

  it('should stop shrinking on Ctrl-C, keeping the shrinks already written', async () => {
    // Arrange: a campaign with many repros to shrink, one lane (one worker).
    const out = join(dir, 'sigint-shrink');
    // Act: interrupt once the first shrink is reported.
    const { status, stdout } = await interruptedCli(
      'shrunk ',
      'fuzz',
      'scenarios/mantis/fuzz.yaml',
      '--seeds',
      '300',
      '--workers',
      '1',
      '--max-repros',
      '30',
      '--out',
      out,
    );
    // Assert: some but not all repros have their shrunk copy, and the summary says why.
    expect(status).toBe(130);
    expect(stdout).toMatch(/stopped early: interrupted/);
    const files = readdirSync(out);
    const repros = files.filter((f) => f.endsWith('.yaml') && !f.endsWith('.min.yaml'));
    const shrunk = files.filter((f) => f.endsWith('.min.yaml'));
    expect(repros.length).toBeGreaterThan(5);
    expect(shrunk.length).toBeGreaterThan(0);
    expect(shrunk.length).toBeLessThan(repros.length);
    expect(files.some((f) => f.endsWith('.tmp'))).toBe(false);
  });
});
