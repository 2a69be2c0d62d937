import type { Document, LineCounter, Node, Pair, YAMLMap } from 'yaml';
import { isAlias, isMap, isNode, isPair, isScalar, isSeq } from 'yaml';
import type { ScenarioProblem } from './load.js';
import { printable } from './printable.js';

/** Problems kept per file; the rest are counted (docs/scenarios.md: limits). */
export const PROBLEMS_MAX = 100;

/** A path into the parsed file, as zod reports it: keys and list indexes. */
export type DataPath = readonly PropertyKey[];

/** `timeline[2].crash`, `network.latency[0]`, `` for the whole file. */
export function pathText(path: DataPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text;
}

/**
 * Collects the problems of one file with their positions. Positions come from the YAML syntax
 * tree, so every message can point at the key or value it is about.
 */
export class ProblemList {
  readonly problems: ScenarioProblem[] = [];
  /** Problems beyond PROBLEMS_MAX, counted but not kept. */
  dropped = 0;
  private readonly seen = new Set<string>();

  constructor(
    readonly file: string,
    private readonly doc: Document | null,
    private readonly lineCounter: LineCounter,
    /** The parsed text (for the source of a value); '' when unknown. */
    private readonly text = '',
  ) {}

  get empty(): boolean {
    return this.problems.length === 0;
  }

  /** No more problems are kept: callers may skip work that only makes a message. */
  get full(): boolean {
    return this.problems.length >= PROBLEMS_MAX;
  }

  /** A problem at a character offset of the file. */
  atOffset(offset: number, message: string): void {
    if (this.full) {
      this.dropped++;
      return;
    }
    const { line, col } = this.lineCounter.linePos(offset);
    this.push(line, col, message);
  }

  /** Keeps a problem once (a value reached twice through an alias is one problem). */
  push(line: number, col: number, message: string): void {
    const text = printable(message);
    const key = `${line}:${col}:${text}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    if (this.full) this.dropped++;
    else this.problems.push({ file: this.file, line, col, message: text });
  }

  /**
   * A problem about the value at `path` (or its key, with `on: 'key'`), prefixed with the
   * path's text. A path that does not exist in the file points at its nearest ancestor.
   */
  atPath(path: DataPath, message: string, on: 'key' | 'value' = 'value'): void {
    if (this.full) {
      this.dropped++;
      return;
    }
    const prefix = path.length === 0 ? '' : `${pathText(path)}: `;
    this.atOffset(this.offsetOf(path, on), prefix + message + this.numberHint(path, on));
  }

  /**
   * YAML reads an unquoted `0xA1` as the number 161, `010` as 10 and `1e3` as 1000: when the
   * value a problem is about was written that way, say so (it was meant as text, most likely).
   */
  private numberHint(path: DataPath, on: 'key' | 'value'): string {
    if (on === 'key' || this.doc === null) return '';
    const found = locate(this.doc, path);
    const node = found.node;
    if (found.missing !== 0 || node === null || !isScalar(node) || typeof node.value !== 'number') return '';
    if (node.type !== 'PLAIN' || node.range == null) return '';
    const source = this.text.slice(node.range[0], node.range[1]).trim();
    if (!NUMBER_LOOKALIKE.test(source)) return '';
    return `; note: YAML read the unquoted ${source} as the number ${String(node.value)} (quote it, '${source}', to keep it as text)`;
  }

  /** Like atPath, but the message already names what it is about. */
  atPathRaw(path: DataPath, message: string, on: 'key' | 'value' = 'value'): void {
    this.atOffset(this.offsetOf(path, on), message);
  }

  /** 1-based line and column of the value (or key) at `path`. */
  position(path: DataPath, on: 'key' | 'value' = 'value'): { line: number; col: number } {
    return this.lineCounter.linePos(this.offsetOf(path, on));
  }

  offsetOf(path: DataPath, on: 'key' | 'value'): number {
    const found = locate(this.doc, path);
    if (found.missing === 0 && on === 'key' && found.pair !== null && isNode(found.pair.key)) {
      return found.pair.key.range?.[0] ?? 0;
    }
    if (found.node !== null && found.node.range) {
      // An empty value (`config:`) has no text of its own: point at its key.
      if (
        found.missing === 0 &&
        isScalar(found.node) &&
        found.node.value === null &&
        found.pair !== null &&
        isNode(found.pair.key)
      ) {
        return found.pair.key.range?.[0] ?? found.node.range[0];
      }
      return found.node.range[0];
    }
    if (found.pair !== null && isNode(found.pair.key)) return found.pair.key.range?.[0] ?? 0;
    return 0;
  }
}

/** Hex, octal, leading-zero and exponent forms: numbers to YAML, names or ids to a person. */
const NUMBER_LOOKALIKE = /^[-+]?(0x[0-9a-f]+|0o[0-7]+|0[0-9]+|[0-9.]+e[-+]?[0-9]+)$/i;

/** Map keys → pairs, built once per map: finding every problem's position stays linear. */
const pairIndex = new WeakMap<YAMLMap, Map<string, Pair>>();

function pairOf(map: YAMLMap, key: string): Pair | undefined {
  let index = pairIndex.get(map);
  if (index === undefined) {
    index = new Map();
    for (const item of map.items) {
      if (isPair(item) && isScalar(item.key)) {
        const name = String(item.key.value);
        if (!index.has(name)) index.set(name, item as Pair);
      }
    }
    pairIndex.set(map, index);
  }
  return index.get(key);
}

interface Located {
  /** The deepest node reached. */
  readonly node: Node | null;
  /** The pair holding it, when it is a map value. */
  readonly pair: Pair | null;
  /** How many path segments could not be followed. */
  readonly missing: number;
}

/** Follows a data path through maps, lists and aliases of the YAML tree. */
export function locate(doc: Document | null, path: DataPath): Located {
  let node: Node | null = doc !== null && isNode(doc.contents) ? doc.contents : null;
  let pair: Pair | null = null;
  for (let i = 0; i < path.length; i++) {
    if (node !== null && isAlias(node) && doc !== null) {
      const target = node.resolve(doc);
      if (target !== undefined) node = target;
    }
    const segment = path[i];
    let next: Node | null = null;
    let nextPair: Pair | null = null;
    if (node !== null && isMap(node)) {
      const item = pairOf(node, String(segment));
      if (item !== undefined) {
        nextPair = item;
        next = isNode(item.value) ? item.value : null;
      }
      if (nextPair !== null && next === null) return { node: null, pair: nextPair, missing: 0 };
    } else if (node !== null && isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      next = isNode(item) ? item : null;
    }
    if (next === null) return { node, pair, missing: path.length - i };
    node = next;
    pair = nextPair;
  }
  return { node, pair, missing: 0 };
}
