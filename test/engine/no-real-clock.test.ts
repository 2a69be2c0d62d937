import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** What must never appear inside the simulation (CONTRACT §7). */
const FORBIDDEN: readonly { readonly name: string; readonly pattern: RegExp }[] = [
  { name: 'Math.random', pattern: /\bMath\s*\.\s*random\b/ },
  { name: 'Date.now', pattern: /\bDate\s*\.\s*now\b/ },
  { name: 'performance.now', pattern: /\bperformance\s*\.\s*now\b/ },
  { name: 'new Date', pattern: /\bnew\s+Date\b/ },
  { name: 'setTimeout', pattern: /\bsetTimeout\b/ },
  { name: 'setInterval', pattern: /\bsetInterval\b/ },
  { name: 'process.hrtime', pattern: /\bprocess\s*\.\s*hrtime\b/ },
];

/**
 * Blanks out comments, keeping strings, template literals and line breaks (so line numbers
 * hold). A small scanner rather than a regex: `'//'` inside a string is not a comment.
 */
export function stripComments(source: string): string {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const ch = source[i] as string;
    const next = source[i + 1];
    if (ch === '/' && next === '/') {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (ch === '/' && next === '*') {
      i += 2;
      while (i < source.length && !(source[i] === '*' && source[i + 1] === '/')) {
        if (source[i] === '\n') out += '\n';
        i++;
      }
      i += 2;
    } else if (ch === '"' || ch === "'" || ch === '`') {
      const start = i++;
      while (i < source.length && source[i] !== ch) i += source[i] === '\\' ? 2 : 1;
      out += source.slice(start, ++i);
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

export function findForbidden(source: string): string[] {
  const found: string[] = [];
  stripComments(source)
    .split('\n')
    .forEach((line, index) => {
      for (const { name, pattern } of FORBIDDEN) if (pattern.test(line)) found.push(`${index + 1}: ${name}`);
    });
  return found;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('no real clock or real randomness in the simulation', () => {
  it('finds none of them in src/engine, src/systems or the example model (examples/lease)', () => {
    // Arrange
    const files = [
      ...tsFiles(join(ROOT, 'src/engine')),
      ...tsFiles(join(ROOT, 'src/systems')),
      ...tsFiles(join(ROOT, 'examples/lease')),
    ];
    // Act
    const offences = files.flatMap((file) =>
      findForbidden(readFileSync(file, 'utf8')).map((hit) => `${relative(ROOT, file)}:${hit}`),
    );
    // Assert
    expect(files.length).toBeGreaterThan(5);
    expect(offences).toEqual([]);
  });

  it('flags each forbidden call in code, and ignores comments', () => {
    // Arrange
    const code = [
      'const a = Math.random();',
      'const b = Date.now();',
      'const c = performance.now();',
      'const d = new Date();',
      'setTimeout(() => 0, 1);',
      'setInterval(() => 0, 1);',
      'const e = process.hrtime.bigint();',
      '// Math.random() in a line comment',
      '/* Date.now() in a block',
      '   comment */ const url = "http://x"; // setTimeout',
    ].join('\n');
    // Act
    const found = findForbidden(code);
    // Assert
    expect(found).toEqual([
      '1: Math.random',
      '2: Date.now',
      '3: performance.now',
      '4: new Date',
      '5: setTimeout',
      '6: setInterval',
      '7: process.hrtime',
    ]);
  });
});
