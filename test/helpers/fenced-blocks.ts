import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One fenced code block of a Markdown page. */
export interface FencedBlock {
  /** The page, relative to the repository root. */
  readonly page: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The info string's first word (`yaml`, `ts`, `sh`, …); '' when the fence has none. */
  readonly lang: string;
  /** The info string's other words: `base=FILE`, `expect=listed`, `not-a-scenario`. */
  readonly attrs: readonly string[];
  readonly body: string;
  /** `page:line`, for messages. */
  readonly where: string;
}

/** The Markdown pages whose code blocks the tests run: the README and every page of docs/. */
export function documentationPages(root: string): string[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return ['README.md', ...docs];
}

/** Every fenced block (``` or ~~~, at any indentation up to three spaces) of a page. */
export function fencedBlocks(root: string, page: string): FencedBlock[] {
  const lines = readFileSync(join(root, page), 'utf8').split('\n');
  const blocks: FencedBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^ {0,3}(`{3,}|~{3,})\s*(.*)$/.exec(lines[i] ?? '');
    if (open === null) continue;
    const [, fence = '```', info = ''] = open;
    const end = lines.findIndex((line, j) => j > i && line.trim().startsWith(fence) && line.trim() === fence);
    const close = end < 0 ? lines.length : end;
    const [lang = '', ...attrs] = info.trim().split(/\s+/).filter(Boolean);
    blocks.push({
      page,
      line: i + 1,
      lang,
      attrs,
      body: lines.slice(i + 1, close).join('\n'),
      where: `${page}:${i + 1}`,
    });
    i = close;
  }
  return blocks;
}

/**
 * The clustersim command lines of a shell block (every line) or an output sample (lines after a
 * `$ ` prompt only), as argument lists after the program name. `clustersim …`, `npx clustersim …`
 * and `node bin/clustersim.js …` count; other programs (npm, node scripts) are not ours to parse.
 * A command ends at a comment or a shell operator; a trailing `\` continues it.
 */
export function clustersimCommands(block: FencedBlock): string[][] {
  if (block.lang !== 'sh' && block.lang !== 'text') return [];
  const prompted = block.lang === 'text';
  const commands: string[][] = [];
  const joined = block.body.replace(/\\\n\s*/g, ' ').split('\n');
  for (const raw of joined) {
    const line = raw.trim();
    if (prompted && !line.startsWith('$ ')) continue;
    const words = shellWords(line.replace(/^\$ /, ''));
    const start =
      words[0] === 'clustersim'
        ? 1
        : words[0] === 'npx' && words[1] === 'clustersim'
          ? 2
          : words[0] === 'node' && words[1] === 'bin/clustersim.js'
            ? 2
            : -1;
    if (start >= 0) commands.push(words.slice(start));
  }
  return commands;
}

/** Splits a command line into words (single and double quotes), up to a comment or an operator. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: string | undefined;
  for (const char of line) {
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
      else word = (word ?? '') + char;
    } else if (char === '"' || char === "'") {
      quote = char;
      word ??= '';
    } else if (/\s/.test(char)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (word === undefined && '#|;&<>'.includes(char)) {
      break;
    } else word = (word ?? '') + char;
  }
  if (word !== undefined) words.push(word);
  return words;
}
