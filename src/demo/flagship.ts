import { existsSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Chalk } from 'chalk';
import type { ChalkInstance } from 'chalk';
import { formatSimTime } from '../engine/index.js';
import type { Note } from '../engine/index.js';
import type { RunResult } from '../run/result.js';
import { simulate } from '../run/simulate.js';
import { loadScenario } from '../scenario/load.js';
import { commandName } from '../util/command-name.js';
import { shellQuote } from '../util/shell-quote.js';

export interface FlagshipOptions {
  readonly color: boolean;
  /** Terminal columns. @defaultValue wide enough for both sides at full width (127) */
  readonly width?: number;
  /** Working directory the printed commands are relative to. @defaultValue process.cwd() */
  readonly cwd?: string;
}

const VARIANTS = ['as-is', 'fix-1a-merged'] as const;
/** Widest a side gets; below SIDE_MIN the two sides stack instead of standing side by side. */
const SIDE_MAX = 62;
const SIDE_MIN = 44;
const SEPARATOR = ' │ ';
const WIDE = SIDE_MAX * 2 + SEPARATOR.length;
/** Narrowest layout drawn: below it lines wrap in the terminal, but words are not cut. */
const NARROWEST = 40;

/** scenarios/mantis/report.yaml from src/report (tests) or dist/src/report (the built CLI). */
function reportScenarioPath(): string {
  for (const up of ['../../scenarios/mantis/report.yaml', '../../../scenarios/mantis/report.yaml']) {
    const path = fileURLToPath(new URL(up, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error('scenarios/mantis/report.yaml not found next to the package');
}

interface KeyEvent {
  readonly atUs: number;
  readonly text: string;
  readonly kind: 'fault' | 'control' | 'data' | 'bad' | 'good';
}

/**
 * `npm start`: report.yaml under as-is and fix-1a-merged, as text that fits the terminal: side by
 * side when both sides get SIDE_MIN columns, one above the other below that (80 columns).
 */
export function renderFlagship(options: FlagshipOptions): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const width = Math.max(NARROWEST, Math.min(options.width ?? WIDE, WIDE));
  const sideBySide = width >= SIDE_MIN * 2 + SEPARATOR.length;
  const side = sideBySide ? Math.min(SIDE_MAX, Math.floor((width - SEPARATOR.length) / 2)) : width;
  const path = reportScenarioPath();
  const scenario = loadScenario(path);
  const runs = VARIANTS.map((variant) => simulate(scenario, { variant }));
  const headers = VARIANTS.map((v, i) => `${v}  ${verdict(runs[i] as RunResult)}`);
  const rendered = runs.map((run) => keyEvents(run).flatMap((e) => render(e, c, side, sideBySide)));
  const lines: string[] = [];
  lines.push(c.bold('clustersim — the Mantis report (Netflix/mantis #781), reproduced'));
  lines.push(...wrap(intro(sideBySide), width).map((line) => c.dim(line)));
  lines.push('');
  if (sideBySide) {
    lines.push(headers.map((h) => c.bold(pad(h, side))).join(SEPARATOR));
    lines.push(`${'─'.repeat(side)}─┼─${'─'.repeat(side)}`);
    const height = Math.max(...rendered.map((r) => r.length));
    for (let i = 0; i < height; i++)
      lines.push(rendered.map((r) => r[i] ?? ' '.repeat(side)).join(SEPARATOR));
  } else
    for (const [i, header] of headers.entries()) {
      if (i > 0) lines.push('');
      lines.push(c.bold(header), '─'.repeat(Math.min(side, header.length + 8)));
      lines.push(...(rendered[i] ?? []));
    }
  lines.push('');
  for (const [i, run] of runs.entries())
    lines.push(
      ...wrap(summary(run), width - 15).map(
        (line, k) => `${k === 0 ? c.bold(pad(VARIANTS[i] as string, 14)) : ' '.repeat(14)} ${line}`,
      ),
    );
  const cli = commandName();
  const file = shellQuote(shown(path, options.cwd ?? process.cwd()));
  lines.push(
    ...hanging('Replay either side, or see it drawn in a browser (one offline file):', width, 2, c.dim),
    ...VARIANTS.map((v) => `  ${cli} run ${file} --variant ${v}`),
    `  ${cli} run ${file} --html report.html`,
    ...hanging('Every variant of every shipped Mantis scenario:', width, 2, c.dim),
    `  ${cli} test ${shellQuote(shown(path.replace(/report\.yaml$/, ''), options.cwd ?? process.cwd()) || '.')}`,
  );
  return `${lines.join('\n')}\n`;
}

/** What the reader is looking at, in two sentences. */
function intro(sideBySide: boolean): string {
  const [first, second] = sideBySide ? ['Left', 'right'] : ['Above', 'below'];
  return (
    "You are looking at Netflix Mantis's bug report #781 replayed twice in a deterministic simulator: task " +
    'executor TE-1 segfaults and comes back under the same id, and the control plane hands it to job B while ' +
    `job A's stage 2 still reads from it. ${first} is the code as it was (as-is), ${second} the merged fix ` +
    "(fix-1a-merged); each line is a notable event at its simulated time, and the header says how long A read B's data."
  );
}

/** A path as the reader can type it from `cwd`: relative when below it, else absolute. */
function shown(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

/** `text` wrapped to `width`, lines after the first indented by `indent`. */
function hanging(text: string, width: number, indent: number, paint: (s: string) => string): string[] {
  const [first = '', ...rest] = wrap(text, width);
  const more =
    rest.length === 0 ? [] : wrap(rest.join(' '), width - indent).map((l) => ' '.repeat(indent) + l);
  return [first, ...more].map((line) => paint(line));
}

function verdict(run: RunResult): string {
  const read = run.violations.find((v) => v.invariant === 'no-foreign-read');
  return read === undefined ? 'A never reads B' : `A reads B for ${read.violationSeconds.toFixed(0)}s`;
}

function summary(run: RunResult): string {
  const ids = run.violations.map((v) => v.invariant);
  const metrics = run.metrics.mantis as {
    deadEndpointSeconds: number;
    notificationMessages: { total: number };
  };
  return `violated: ${ids.length === 0 ? 'none' : ids.join(', ')}; dead-endpoint ${metrics.deadEndpointSeconds.toFixed(0)}s; fix messages ${metrics.notificationMessages.total}; trace ${run.traceHash}`;
}

/** The notes that explain the story: the crash, what the RC and JobActor did, what stage 2 read. */
function keyEvents(run: RunResult): KeyEvent[] {
  const events: KeyEvent[] = [];
  const crash = run.notes.find((n) => n.category === 'fault');
  if (crash === undefined) return events;
  const crashedTe = crash.text.split(' ')[1] ?? 'TE-1';
  let firstConsumer: string | null = null;
  for (const note of run.notes) {
    if (note.atUs < crash.atUs) continue;
    const event = pick(
      note,
      crashedTe,
      () => firstConsumer,
      (consumer) => (firstConsumer = consumer),
    );
    if (event !== null) events.push(event);
  }
  const read = run.violations.find((v) => v.invariant === 'no-foreign-read');
  for (const episode of read?.episodes ?? []) {
    events.push({
      atUs: episode.startMs * 1000,
      text: `▶ stage 2 of A starts reading B's data: ${episode.message.replace(/ \(consumer.*$/, '')}`,
      kind: 'bad',
    });
    if (episode.endMs !== null)
      events.push({
        atUs: episode.endMs * 1000,
        text: "■ stage 2 of A stops reading B's data",
        kind: 'good',
      });
  }
  return events.sort((a, b) => a.atUs - b.atUs);
}

function pick(
  note: Note,
  te: string,
  consumer: () => string | null,
  setConsumer: (c: string) => void,
): KeyEvent | null {
  const onTe = note.entities.te === te;
  switch (note.category) {
    case 'fault':
      return { atUs: note.atUs, text: note.text, kind: 'fault' };
    case 'rc-state':
    case 'pool':
    case 'assignment':
      return onTe ? { atUs: note.atUs, text: `RC: ${note.text}`, kind: 'control' } : null;
    case 'detection':
      return { atUs: note.atUs, text: note.text, kind: 'control' };
    case 'resubmit':
      return note.entities.job === 'A'
        ? { atUs: note.atUs, text: `JobActor A: ${note.text}`, kind: 'control' }
        : null;
    case 'te':
      return onTe && note.text.includes(' runs ') ? { atUs: note.atUs, text: note.text, kind: 'data' } : null;
    case 'consumer': {
      const who = note.entities.consumer ?? '';
      if (consumer() === null) setConsumer(who);
      if (who !== consumer() || note.entities.te !== te) return null;
      return { atUs: note.atUs, text: note.text, kind: 'data' };
    }
    default:
      return null;
  }
}

/** One event as lines of `width` columns, padded to it when a column stands to its right. */
function render(event: KeyEvent, c: ChalkInstance, width: number, padded: boolean): string[] {
  const time = formatSimTime(event.atUs)
    .replace(/\.\d+s$/, 's')
    .padStart(7);
  const paint = {
    fault: c.yellow,
    control: c.cyan,
    data: (s: string) => s,
    bad: c.red.bold,
    good: c.green.bold,
  }[event.kind];
  return wrap(event.text, width - 8).map(
    (line, i) => `${i === 0 ? c.dim(time) : ' '.repeat(7)} ${paint(padded ? pad(line, width - 8) : line)}`,
  );
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w.length > 0)) {
    if (line.length > 0 && line.length + 1 + word.length > width) {
      out.push(line);
      line = '';
    }
    line = line.length === 0 ? word : `${line} ${word}`;
  }
  if (line.length > 0) out.push(line);
  return out.length === 0 ? [''] : out;
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}
