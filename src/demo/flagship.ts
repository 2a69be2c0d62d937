import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Chalk } from 'chalk';
import type { ChalkInstance } from 'chalk';
import { formatSimTime } from '../engine/index.js';
import type { Note } from '../engine/index.js';
import type { RunResult } from '../run/result.js';
import { simulate } from '../run/simulate.js';
import { loadScenario } from '../scenario/load.js';

export interface FlagshipOptions {
  readonly color: boolean;
}

const VARIANTS = ['as-is', 'fix-1a-merged'] as const;
const COLUMN_WIDTH = 62;

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

/** `npm start`: report.yaml under as-is and fix-1a-merged, side by side, as text. */
export function renderFlagship(options: FlagshipOptions): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const scenario = loadScenario(reportScenarioPath());
  const runs = VARIANTS.map((variant) => simulate(scenario, { variant }));
  const columns = runs.map((run) => keyEvents(run));
  const lines: string[] = [];
  lines.push(c.bold('clustersim — the Mantis report (Netflix/mantis #781), reproduced'));
  lines.push(c.dim(wrap(scenario.description ?? '', COLUMN_WIDTH * 2 + 3).join('\n')));
  lines.push('');
  lines.push(
    VARIANTS.map((v, i) => c.bold(pad(`${v}  ${verdict(runs[i] as RunResult)}`, COLUMN_WIDTH))).join(' │ '),
  );
  lines.push(`${'─'.repeat(COLUMN_WIDTH)}─┼─${'─'.repeat(COLUMN_WIDTH)}`);
  const rendered = columns.map((events) => events.flatMap((e) => render(e, c)));
  const height = Math.max(...rendered.map((r) => r.length));
  for (let i = 0; i < height; i++)
    lines.push(rendered.map((r) => r[i] ?? ' '.repeat(COLUMN_WIDTH)).join(' │ '));
  lines.push('');
  for (const [i, run] of runs.entries())
    lines.push(`${c.bold(pad(VARIANTS[i] as string, 14))} ${summary(run)}`);
  lines.push(
    c.dim(
      'Replay either side: clustersim run scenarios/mantis/report.yaml --variant <name>; all variants: clustersim test scenarios/mantis',
    ),
  );
  return `${lines.join('\n')}\n`;
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

function render(event: KeyEvent, c: ChalkInstance): string[] {
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
  return wrap(event.text, COLUMN_WIDTH - 8).map(
    (line, i) => `${i === 0 ? c.dim(time) : ' '.repeat(7)} ${paint(pad(line, COLUMN_WIDTH - 8))}`,
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
