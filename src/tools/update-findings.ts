/**
 * `npm run findings`: regenerates the measured tables in docs/findings.md, between markers
 * `<!-- findings:<system>:start -->` … `:end -->` (every shipped scenario × every variant) and
 * `<!-- compare:<name>:start -->` … `:end -->` (output of `clustersim compare`). Nothing in
 * those tables is typed by hand.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { findingsMarkdown } from '../report/findings-table.js';
import { findingsTable } from '../run/findings.js';
import { builtInSystemIds } from '../systems/registry.js';

/** The compare campaigns docs/findings.md shows: name → CLI arguments. */
const COMPARES: Readonly<Record<string, readonly string[]>> = {
  'mantis-report': [
    'scenarios/mantis/report.yaml',
    '--variants',
    'as-is,fix-1a,fix-1a-merged,head,fix-1a-correct,fix-1b,fix-1c,broadcast,fix-2,fix-3',
    '--seeds',
    '50',
  ],
  'mantis-fuzz': [
    'scenarios/mantis/fuzz.yaml',
    '--variants',
    'as-is,fix-1a,fix-1a-merged,head,fix-1a-correct,fix-1b,fix-1c,broadcast,fix-2,fix-3,fix-1a-merged+fix-3',
    '--seeds',
    '200',
  ],
  'ava-fuzz': ['scenarios/ava/fuzz.yaml', '--variants', 'pre,fixed,head', '--seeds', '200'],
};

/** The page sits in docs/: its links to scenario files go up one level. */
const FROM_DOCS = '../';

function replaceBetween(text: string, start: string, end: string, body: string): string {
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) return text;
  return `${text.slice(0, from + start.length)}\n${body}\n${text.slice(to)}`;
}

const pagePath = process.argv[2] ?? 'docs/findings.md';
let page = readFileSync(pagePath, 'utf8');
for (const system of builtInSystemIds()) {
  const table = findingsMarkdown(findingsTable(system, `scenarios/${system}`), FROM_DOCS);
  page = replaceBetween(page, `<!-- findings:${system}:start -->`, `<!-- findings:${system}:end -->`, table);
}
for (const [name, args] of Object.entries(COMPARES)) {
  const shown = ['compare', ...args];
  const output = execFileSync(process.execPath, ['bin/clustersim.js', ...shown, '--no-color'], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  const body = `\`\`\`text\n$ clustersim ${shown.join(' ')}\n${output.trimEnd()}\n\`\`\``;
  page = replaceBetween(page, `<!-- compare:${name}:start -->`, `<!-- compare:${name}:end -->`, body);
}
const tmp = `${pagePath}.tmp-${process.pid}`;
writeFileSync(tmp, page);
renameSync(tmp, pagePath);
process.stdout.write(`updated ${pagePath}\n`);
