import type { Document, LineCounter, Node, Pair } from 'yaml';
import { isAlias, isMap, isNode, isPair, isScalar, isSeq } from 'yaml';
import type { ScenarioProblem } from './load.js';

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

  constructor(
    readonly file: string,
    private readonly doc: Document | null,
    private readonly lineCounter: LineCounter,
  ) {}

  get empty(): boolean {
    return this.problems.length === 0;
  }

  /** A problem at a character offset of the file. */
  atOffset(offset: number, message: string): void {
    const { line, col } = this.lineCounter.linePos(offset);
    this.push(line, col, message);
  }

  push(line: number, col: number, message: string): void {
    const duplicate = this.problems.some((p) => p.line === line && p.col === col && p.message === message);
    if (!duplicate) this.problems.push({ file: this.file, line, col, message });
  }

  /**
   * A problem about the value at `path` (or its key, with `on: 'key'`), prefixed with the
   * path's text. A path that does not exist in the file points at its nearest ancestor.
   */
  atPath(path: DataPath, message: string, on: 'key' | 'value' = 'value'): void {
    const prefix = path.length === 0 ? '' : `${pathText(path)}: `;
    this.atOffset(this.offsetOf(path, on), prefix + message);
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
      for (const item of node.items) {
        if (isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment)) {
          nextPair = item;
          next = isNode(item.value) ? item.value : null;
          break;
        }
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
