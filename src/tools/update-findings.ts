/**
 * `npm run findings`: regenerates the findings tables in README.md between the markers
 * `<!-- findings:<system>:start -->` and `<!-- findings:<system>:end -->`.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { findingsMarkdown, findingsTable } from '../report/findings-table.js';

const readmePath = process.argv[2] ?? 'README.md';
let readme = readFileSync(readmePath, 'utf8');
for (const system of ['mantis', 'ava']) {
  const start = `<!-- findings:${system}:start -->`;
  const end = `<!-- findings:${system}:end -->`;
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) continue;
  const table = findingsMarkdown(findingsTable(system, `scenarios/${system}`));
  readme = `${readme.slice(0, from + start.length)}\n${table}\n${readme.slice(to)}`;
}
const tmp = `${readmePath}.tmp-${process.pid}`;
writeFileSync(tmp, readme);
renameSync(tmp, readmePath);
process.stdout.write(`updated ${readmePath}\n`);
