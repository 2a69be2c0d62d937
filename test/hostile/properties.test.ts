// Issue 19: property tests that generate files and flags. Whatever they are, the CLI exits with
// a code the contract gives that meaning (0, 1 or 2 — never 70 or a crash), prints no stack
// trace, keeps its output bounded and lets no control character of the input reach the terminal.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli-capture.js';
import { validReport } from './reports.js';

// A stack frame ends in file:line:col (help text may well say "stopped at a limit: …").
const STACK = /\n\s+at [^\n]*:\d+:\d+/;
// eslint-disable-next-line no-control-regex -- what must never reach the terminal raw
const RAW_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001a\u001c-\u001f\u007f]/;
// ESC itself may only start a colour sequence clustersim made (chalk), never one from a file.
// eslint-disable-next-line no-control-regex -- ESC is what this looks for
const FOREIGN_ESCAPE = /\u001b(?!\[\d+(;\d+)*m)/;
const OUTPUT_MAX = 200_000;

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'clustersim-prop-'));
});

function checkRun(result: { code: number; stdout: string; stderr: string }): void {
  expect([0, 1, 2]).toContain(result.code);
  expect(result.stderr).not.toMatch(STACK);
  expect(result.stderr).not.toMatch(/internal error/);
  expect(result.stdout.length + result.stderr.length).toBeLessThan(OUTPUT_MAX);
  expect(result.stderr).not.toMatch(RAW_CONTROL);
  expect(result.stderr).not.toMatch(FOREIGN_ESCAPE);
}

/** Scenario-ish YAML: real keys and values mixed with junk, control characters and big names. */
const scalar = fc.oneof(
  fc.constantFrom('mantis', 'ava', 'TE-1', 'TE-0', '0xA1', '1m', '-5s', '2h', 'all', 'as-is', '*x', '&x a'),
  fc.integer({ min: -5, max: 200_000 }).map(String),
  fc.string({ maxLength: 12 }),
  fc.constantFrom('\u001b[31mred', 'bell\u0007', 'cr\rlf', '"quoted"', "'q'", '[a, b]', '{ a: 1 }'),
);
const key = fc.constantFrom(
  'name',
  'system',
  'duration',
  'variant',
  'seed',
  'config',
  'cluster',
  'executors',
  'jobs',
  'operators',
  'timeline',
  'faults',
  'expect',
  'at',
  'crash',
  'submit',
  'placement',
  'bogus',
  '\u001b]0;title\u0007',
);
const line = fc
  .tuple(fc.nat({ max: 3 }), key, scalar)
  .map(([indent, k, v]) => `${'  '.repeat(indent)}${k}: ${v}`);
const yamlFile = fc
  .tuple(fc.boolean(), fc.array(line, { maxLength: 25 }), fc.constantFrom('\n', '\r\n', '\r'))
  .map(([head, lines, eol]) =>
    [...(head ? ['name: p', 'system: mantis', 'duration: 1m'] : []), ...lines].join(eol),
  );

describe('hostile files', () => {
  it('validate: exit 0 or 2, no stack, bounded output, no raw control characters', async () => {
    await fc.assert(
      fc.asyncProperty(yamlFile, async (text) => {
        const path = join(dir, 'p.yaml');
        writeFileSync(path, text);
        const result = await cli('validate', path, '--no-color');
        checkRun(result);
        expect([0, 2]).toContain(result.code);
      }),
      { numRuns: 150, seed: 19 },
    );
  });

  it('merge: any JSON is merged or refused with exit 2, never a stack', async () => {
    const json = fc.oneof(
      fc.json({ maxDepth: 3 }),
      fc
        .record({
          drop: fc.constantFrom(...Object.keys(validReport())),
          value: fc.jsonValue({ maxDepth: 2 }),
        })
        .map(({ drop, value }) => JSON.stringify({ ...validReport(), [drop]: value })),
    );
    await fc.assert(
      fc.asyncProperty(json, async (text) => {
        const path = join(dir, 'r.json');
        writeFileSync(path, text);
        const result = await cli('merge', path, '--no-color');
        checkRun(result);
        expect([0, 2]).toContain(result.code);
      }),
      { numRuns: 150, seed: 19 },
    );
  });
});

describe('hostile flags', () => {
  it('any mix of commands, flags and values exits 0, 1 or 2 without a stack', async () => {
    const scenario = join(dir, 'tiny.yaml');
    const command = fc.constantFrom('validate', 'run', 'list', 'merge', 'test', 'shrink', 'bogus', '');
    const flag = fc.constantFrom(
      '--seed',
      '--variant',
      '--set',
      '--json',
      '--quiet',
      '--trace',
      '--out',
      '--report',
      '--system',
      '--no-color',
      '--exact',
      '-V',
      '--help',
    );
    const value = fc.oneof(
      fc.constantFrom('1', '-1', '1e3', '0x10', '9007199254740993', 'NaN', '', 'fix-1a', 'as-is', 'x=y', '='),
      fc.constantFrom('/dev/zero', '/dev/null', '/proc/clustersim-missing/x', dir, scenario),
      fc.string({ maxLength: 8 }),
    );
    const args = fc.tuple(command, fc.array(fc.oneof(flag, value), { maxLength: 6 }));
    await fc.assert(
      fc.asyncProperty(args, async ([name, rest]) => {
        writeFileSync(scenario, 'name: tiny\nsystem: mantis\nduration: 1s\ncluster: { executors: 1 }\n');
        const result = await cli(...[name, ...rest].filter((a) => a !== ''));
        checkRun(result);
      }),
      { numRuns: 120, seed: 19 },
    );
  });
});
