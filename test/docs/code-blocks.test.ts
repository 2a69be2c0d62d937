// Every fenced code block of README.md and docs/*.md is run or type-checked here, so what a page
// shows is what clustersim does:
// - ```yaml: a scenario, validated and run under every variant of its `expect` (exactly those
//   invariants must break, as `clustersim test --exact`; `expect=listed`: at least those) and its
//   `check` steps; `base=FILE`: a fragment, laid over that shipped scenario first (its top-level
//   keys replace the base's, a list is appended to the base's timeline); `not-a-scenario`: other
//   YAML (a Kubernetes Job, a CI workflow), parsed only.
// - ```ts: kept as files of test/docs/blocks/, which `npm test`'s tsc step type-checks against
//   the sources (`clustersim` → src/index.ts, `clustersim/engine` → src/engine/index.ts) as a
//   user's strict TypeScript would be; a program of its own here would cost half a minute.
// - ```json: parsed.
// - ```sh lines and the `$ ` lines of ```text output samples: each clustersim command line is
//   checked by the CLI's own parser (commands, options, flag values) and a shipped scenario it
//   names must exist; running whole campaigns here would cost minutes.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { parseOnly } from '../../src/cli/main.js';
import { checkExpectations } from '../../src/run/expectations.js';
import { loadScenario } from '../../src/scenario/load.js';
import { ROOT } from '../built.js';
import type { FencedBlock } from '../helpers/fenced-blocks.js';
import { clustersimCommands, documentationPages, fencedBlocks } from '../helpers/fenced-blocks.js';

/** Pages whose blocks another test checks: the guide's are examples/lease's files, run in that folder. */
const CHECKED_ELSEWHERE: ReadonlySet<string> = new Set(['docs/writing-a-system.md']);
const checkedPages = documentationPages(ROOT).filter((page) => !CHECKED_ELSEWHERE.has(page));
const blocks = checkedPages.flatMap((page) => fencedBlocks(ROOT, page));
const ofLang = (lang: string): FencedBlock[] => blocks.filter((block) => block.lang === lang);

/** Scratch files live under node_modules so that a block's imports (vitest) resolve as in the repo. */
const scratchRoot = join(ROOT, 'node_modules/.cache/clustersim-doc-blocks');
mkdirSync(scratchRoot, { recursive: true });
const scratch = mkdtempSync(join(scratchRoot, 'run-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** `README.md` → `readme`, `docs/engine.md` → `engine`. */
const blockFileStem = (page: string): string =>
  page
    .replace(/^docs\//, '')
    .replace(/\.md$/, '')
    .toLowerCase();

const fileName = (block: FencedBlock, ext: string): string =>
  join(scratch, `${block.page.replace(/[/.]/g, '-')}-${block.line}.${ext}`);

/** The scenario text a yaml block stands for: itself, or laid over its `base=` scenario. */
function scenarioText(block: FencedBlock): string {
  const base = block.attrs.find((attr) => attr.startsWith('base='))?.slice('base='.length);
  if (base === undefined) return block.body;
  const over: unknown = parse(block.body);
  const merged = parse(readFileSync(join(ROOT, base), 'utf8')) as Record<string, unknown>;
  if (Array.isArray(over)) merged['timeline'] = [...(merged['timeline'] as unknown[]), ...over];
  else {
    Object.assign(merged, over);
    // A fragment that brings its own timeline is judged by its own checks, not the base's expect.
    if (!Object.hasOwn(over as object, 'expect')) delete merged['expect'];
  }
  return stringify(merged);
}

describe('code blocks of README.md and docs/*.md', () => {
  it('should each say what they are (yaml, ts, json, sh, or text for output and layouts)', () => {
    const unknown = blocks.filter((block) => !['yaml', 'ts', 'json', 'sh', 'text'].includes(block.lang));
    expect(blocks.length).toBeGreaterThan(20);
    expect(unknown.map((block) => `${block.where}: '${block.lang}'`)).toEqual([]);
  });

  const scenarios = ofLang('yaml').filter((block) => !block.attrs.includes('not-a-scenario'));
  it.each(scenarios.map((block) => [block.where, block] as const))(
    'should run the scenario at %s and meet its expect and checks',
    (_where, block) => {
      const file = fileName(block, 'yaml');
      writeFileSync(file, scenarioText(block));
      const judged = checkExpectations(file, loadScenario(file), {
        set: {},
        exact: !block.attrs.includes('expect=listed'),
      });
      if (judged.skipped !== undefined) throw new Error(`${block.where} judges nothing: ${judged.skipped}`);
      const failed = judged.checks
        .map((check) => check.outcome)
        .filter((outcome) => !outcome.pass)
        .map(
          (o) => `[${o.variant}] expected [${o.expected}], got [${o.violated}] ${o.failedChecks.join('; ')}`,
        );
      expect(failed).toEqual([]);
    },
  );

  it('should parse every other YAML block', () => {
    const others = ofLang('yaml').filter((block) => block.attrs.includes('not-a-scenario'));
    for (const block of others) expect(() => parse(block.body), block.where).not.toThrow();
  });

  it('should parse every JSON block', () => {
    for (const block of ofLang('json'))
      expect(() => JSON.parse(block.body) as unknown, block.where).not.toThrow();
  });

  // The type check itself is `npm test`'s `tsc -p tsconfig.json` step, incremental and over the
  // sources (tsconfig's paths map `clustersim` and `clustersim/engine` to src/): each block is kept,
  // character for character, as a file of test/docs/blocks/ that tsc compiles with the rest.
  const tsBlocks = checkedPages.flatMap((page) =>
    fencedBlocks(ROOT, page)
      .filter((block) => block.lang === 'ts')
      .map((block, k) => ({ block, file: `test/docs/blocks/${blockFileStem(page)}-${k + 1}.ts` })),
  );
  it.each(tsBlocks.map(({ block, file }) => [block.where, file] as const))(
    'should type-check the TypeScript block at %s (kept as %s)',
    (where, file) => {
      const { block } = tsBlocks.find((b) => b.file === file)!;
      if (process.env['UPDATE_DOC_BLOCKS'] === '1') writeFileSync(join(ROOT, file), `${block.body}\n`);
      const kept = existsSync(join(ROOT, file)) ? readFileSync(join(ROOT, file), 'utf8') : '(missing)';
      expect(kept, `${where}: rerun with UPDATE_DOC_BLOCKS=1 to copy the block to ${file}`).toBe(
        `${block.body}\n`,
      );
    },
  );

  it('should keep no file in test/docs/blocks that no block stands for', () => {
    const kept = readdirSync(join(ROOT, 'test/docs/blocks')).map((name) => `test/docs/blocks/${name}`);
    expect(tsBlocks.length).toBeGreaterThanOrEqual(3);
    expect(kept.sort()).toEqual(tsBlocks.map((b) => b.file).sort());
  });

  it('should show clustersim command lines the CLI accepts, naming shipped scenarios that exist', async () => {
    const problems: string[] = [];
    let parsed = 0;
    for (const block of blocks)
      for (const args of clustersimCommands(block)) {
        parsed++;
        const wrong = await parseOnly(args);
        if (wrong !== undefined) problems.push(`${block.where}: clustersim ${args.join(' ')}: ${wrong}`);
        for (const arg of args.filter((a) => a.startsWith('scenarios/') && !a.includes('*')))
          if (!existsSync(join(ROOT, arg))) problems.push(`${block.where}: ${arg} does not exist`);
      }
    expect(parsed).toBeGreaterThan(5);
    expect(problems).toEqual([]);
  });

  it('should refuse a command line the CLI would refuse (the check above can fail)', async () => {
    expect(await parseOnly(['run', 'x.yaml'])).toBeUndefined();
    expect(await parseOnly(['run'])).toMatch(/missing required argument/);
    expect(await parseOnly(['fuzz', 'x.yaml', '--no-such-flag'])).toMatch(/unknown option/);
    expect(await parseOnly(['fuzz', 'x.yaml', '--strategy', 'dfs'])).toMatch(/invalid/);
    expect(await parseOnly(['frobnicate'])).toMatch(/unknown command/);
  });

  const libraryDir = join(ROOT, 'examples/library');
  const libraryFiles = existsSync(libraryDir) ? readdirSync(libraryDir).sort() : [];
  const libraryExample =
    libraryFiles.find((name) => name.endsWith('.test.ts')) ??
    libraryFiles.find((name) => name.endsWith('.ts'));
  it.skipIf(libraryExample === undefined)(
    'should show the library example as examples/library has it',
    () => {
      const readme = ofLang('ts').find((block) => block.page === 'README.md');
      expect(readme?.body.trim()).toBe(readFileSync(join(libraryDir, libraryExample!), 'utf8').trim());
    },
  );
});
