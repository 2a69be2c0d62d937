import type { ChalkInstance } from 'chalk';
import { formatSimTime, msToUs } from '../engine/index.js';
import type { Note } from '../engine/index.js';
import type { Explanation, RunResult } from '../run/result.js';
import { formatDuration } from '../util/duration.js';

export interface RunTextOptions {
  readonly chalk: ChalkInstance;
  /** Summary only. */
  readonly quiet?: boolean;
  /** Every note, including verbose-only categories, without a cap. */
  readonly verbose?: boolean;
  /** The exact command that re-runs this (printed last). */
  readonly rerun: string;
}

/**
 * Note categories the default timeline leaves out (`--verbose` shows them). Models: use a
 * `debug` category (or a `debug-…` prefix) for chatty notes; `span-begin`/`span-end` feed the
 * Perfetto tracks (see perfetto.ts) and would only repeat what other notes say.
 */
export function isVerboseOnly(category: string): boolean {
  return (
    category === 'span-begin' ||
    category === 'span-end' ||
    category === 'debug' ||
    category.startsWith('debug-')
  );
}

/** Default timeline cap, so a chatty run does not flood a terminal. */
const NOTE_LINES_MAX = 400;

interface Line {
  readonly atUs: number;
  /** Notes before violations at the same instant: the event, then what it broke. */
  readonly order: number;
  readonly text: string;
}

/** `t=2m03.250s` */
export function formatAt(atUs: number): string {
  return `t=${formatSimTime(atUs)}`;
}

/** The text report of `clustersim run`: timeline, violations in words, summary, re-run line. */
export function renderRunText(result: RunResult, options: RunTextOptions): string {
  const c = options.chalk;
  const out: string[] = [];
  out.push(
    c.bold(`${result.scenario}`) +
      c.dim(
        ` — ${result.system}, variant ${result.variant}, seed ${result.seed}, ${formatDuration(Math.round(result.simulatedMs))} simulated`,
      ),
  );
  if (result.faultsOff.length > 0)
    out.push(c.dim(`swarm: this seed switched off ${result.faultsOff.join(', ')}`));
  if (options.quiet !== true) {
    out.push('');
    out.push(...timelineLines(result, options));
  }
  out.push('');
  out.push(...summaryLines(result, c));
  out.push(...whyLines(result.why ?? [], c));
  if (result.stoppedEarly !== undefined) out.push(c.yellow(`stopped early: ${result.stoppedEarly}`));
  out.push(
    c.dim(
      `seed ${result.seed} · variant ${result.variant} · traceHash ${result.traceHash} · ${result.events} events · ${result.metrics.messages.total} messages`,
    ),
  );
  out.push(`re-run: ${c.cyan(options.rerun)}`);
  return `${out.join('\n')}\n`;
}

function timelineLines(result: RunResult, options: RunTextOptions): string[] {
  const c = options.chalk;
  const verbose = options.verbose === true;
  const notes = result.notes.filter((n) => verbose || !isVerboseOnly(n.category));
  const shown = verbose ? notes : notes.slice(0, NOTE_LINES_MAX);
  const nodeWidth = Math.min(16, Math.max(4, ...shown.map((n) => n.node.length)));
  const categoryWidth = Math.min(14, Math.max(4, ...shown.map((n) => n.category.length)));
  const lines: Line[] = shown.map((note) => ({
    atUs: note.atUs,
    order: 0,
    text: noteLine(note, nodeWidth, categoryWidth, c),
  }));
  for (const v of result.violations) {
    for (const episode of v.episodes) {
      const at = msToUs(episode.startMs);
      const label = v.kind === 'liveness' ? `${v.invariant} (liveness, judged at the end)` : v.invariant;
      lines.push({
        atUs: at,
        order: 1,
        text: `${c.dim(formatAt(at).padEnd(14))} ${c.red.bold(`✗ ${label} violated`)}: ${episode.message}${entitiesText(episode.entities, c)}`,
      });
      if (episode.endMs !== null) {
        const end = msToUs(episode.endMs);
        lines.push({
          atUs: end,
          order: 1,
          text: `${c.dim(formatAt(end).padEnd(14))} ${c.green(`✓ ${v.invariant} holds again`)}`,
        });
      }
    }
    if (v.count > v.episodes.length) {
      lines.push({
        atUs: msToUs(result.simulatedMs),
        order: 2,
        text: c.dim(`(${v.count - v.episodes.length} later episodes of ${v.invariant} not listed)`),
      });
    }
  }
  lines.sort((a, b) => a.atUs - b.atUs || a.order - b.order);
  const text = lines.map((l) => l.text);
  if (notes.length > shown.length)
    text.push(c.dim(`… ${notes.length - shown.length} more notes not shown (--verbose shows all)`));
  if (text.length === 0) text.push(c.dim('(no notable events)'));
  return text;
}

function noteLine(note: Note, nodeWidth: number, categoryWidth: number, c: ChalkInstance): string {
  const category = note.category.padEnd(categoryWidth);
  const coloured =
    note.node === 'scenario'
      ? c.magenta(category)
      : /crash|fail|kill|drop|lost|error/i.test(note.category)
        ? c.yellow(category)
        : c.blue(category);
  return `${c.dim(formatAt(note.atUs).padEnd(14))} ${note.node.padEnd(nodeWidth)} ${coloured} ${note.text}`;
}

function entitiesText(entities: Readonly<Record<string, string>>, c: ChalkInstance): string {
  const pairs = Object.entries(entities);
  return pairs.length === 0 ? '' : c.dim(` (${pairs.map(([k, v]) => `${k}=${v}`).join(', ')})`);
}

function summaryLines(result: RunResult, c: ChalkInstance): string[] {
  return [...checkLines(result, c), ...invariantLines(result, c)];
}

/** Failed checks first (they decide the outcome), then a count of those that held. */
function checkLines(result: RunResult, c: ChalkInstance): string[] {
  if (result.checks.length === 0) return [];
  const failed = result.checks.filter((check) => !check.holds);
  const lines: string[] = [];
  if (failed.length === 0) {
    lines.push(c.green.bold(`✓ ${result.checks.length} check${result.checks.length === 1 ? '' : 's'} held`));
    return lines;
  }
  lines.push(
    c.red.bold(
      `✗ CHECK FAILED: ${failed.length} of ${result.checks.length} check${result.checks.length === 1 ? '' : 's'}:`,
    ),
  );
  for (const check of failed) {
    lines.push(`  ${c.red(check.origin)} at ${formatAt(msToUs(check.atMs))}: expected ${check.expected}`);
    lines.push(`    got ${check.actual}`);
  }
  return lines;
}

function invariantLines(result: RunResult, c: ChalkInstance): string[] {
  // A run stopped by a limit judged nothing past it: never a pass.
  if (result.limit !== undefined && result.violations.length === 0)
    return [c.yellow.bold(`? no verdict: the run stopped at a limit (${result.limit.kind}) before its end`)];
  if (result.violations.length === 0) return [c.green.bold('✓ every invariant held')];
  const lines = [
    c.red.bold(
      `✗ ${result.violations.length} invariant${result.violations.length === 1 ? '' : 's'} violated:`,
    ),
  ];
  for (const v of result.violations) {
    const seconds =
      v.kind === 'safety'
        ? `, ${v.violationSeconds.toFixed(1)} s in violation`
        : ' (liveness, judged at the end)';
    const times = `${v.count} time${v.count === 1 ? '' : 's'}`;
    lines.push(`  ${c.red(v.invariant)} first at ${formatAt(msToUs(v.atMs))}, ${times}${seconds}`);
    lines.push(`    ${v.message}${entitiesText(v.entities, c)}`);
  }
  return lines;
}

/** Each violation's causal chain (`why`), one step a line, folds dimmed. */
export function whyLines(why: readonly Explanation[], c: ChalkInstance): string[] {
  const lines: string[] = [];
  for (const explanation of why) {
    if (explanation.steps.length === 0) continue;
    lines.push(c.bold(`why ${explanation.invariant}:`));
    const nodeWidth = Math.min(16, Math.max(4, ...explanation.steps.map((s) => s.node.length)));
    for (const step of explanation.steps) {
      const at = c.dim(formatAt(step.atUs).padEnd(14));
      lines.push(
        step.folded !== undefined
          ? `  ${at} ${' '.repeat(nodeWidth)} ${c.dim(step.text)}`
          : `  ${at} ${step.node.padEnd(nodeWidth)} ${step.text}`,
      );
    }
  }
  return lines;
}
