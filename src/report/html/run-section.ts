import { formatSimTime, msToUs } from '../../engine/index.js';
import type { RunResult } from '../../run/result.js';
import { runOutcome } from '../../run/result.js';
import type { DiagramLimits } from './diagram-model.js';
import { buildDiagram, DEFAULT_DIAGRAM_LIMITS } from './diagram-model.js';
import { esc, scriptJson } from './escape.js';
import type { PageSection } from './page.js';
import { renderRunSvg } from './run-svg.js';

const HELP =
  'Wheel or buttons: zoom the time axis; drag: pan; hover: details; click an event: light its causes. ' +
  '"event order" spreads events evenly, so messages sent close together read as a sequence diagram.';

/** One run as a page section: its facts, the diagram, its `why` and its violations. */
export function renderRunSection(
  result: RunResult,
  nodes: readonly string[],
  options: { readonly id: string; readonly title?: string; readonly limits?: DiagramLimits },
): PageSection {
  const diagram = buildDiagram(result, nodes, options.limits ?? DEFAULT_DIAGRAM_LIMITS);
  const outcome = runOutcome(result);
  const parts: string[] = [
    `<figure class="run" data-outcome="${outcome}">`,
    `<p class="meta">system ${esc(result.system)}, variant ${esc(result.variant)}, seed ${result.seed}, ` +
      `${esc(formatSimTime(msToUs(result.simulatedMs)))} simulated, ${result.events} events, trace hash ${esc(result.traceHash)}; ` +
      `outcome: <b>${outcome}</b></p>`,
    ...diagram.omitted.map((line) => `<p class="omitted">${esc(line)}</p>`),
    '<div class="toolbar">' +
      button('in', 'zoom in') +
      button('out', 'zoom out') +
      button('fit', 'whole run') +
      (diagram.bands.length > 0 ? button('violation', 'violation') : '') +
      ((result.why ?? []).length > 0 ? button('chain', 'causal chain') : '') +
      button('order', 'event order') +
      '</div>',
    `<p class="help">${esc(HELP)}</p>`,
    `<div class="scroll">${renderRunSvg(diagram, options.id)}</div>`,
    `<script type="application/json" class="causes">${scriptJson(diagram.causes)}</script>`,
  ];
  for (const explanation of result.why ?? []) {
    parts.push(
      `<h3>why ${esc(explanation.invariant)} (at ${esc(formatSimTime(msToUs(explanation.atMs)))})</h3>`,
    );
    parts.push('<ol class="why">');
    explanation.steps.forEach((step) => {
      const at = esc(formatSimTime(step.atUs));
      if (step.folded !== undefined) parts.push(`<li class="folded">${esc(step.text)}</li>`);
      else
        parts.push(
          `<li${step.seq !== undefined ? ` data-seq="${step.seq}"` : ''}>${at} ${esc(step.node)}${step.actor !== undefined ? `/${esc(step.actor)}` : ''}: ${esc(step.text)}</li>`,
        );
    });
    parts.push('</ol>');
  }
  if (result.violations.length > 0) {
    parts.push(
      '<table class="violations"><tr><th>invariant</th><th>kind</th><th>first at</th><th>episodes</th><th>message</th></tr>',
    );
    for (const v of result.violations)
      parts.push(
        `<tr><td>${esc(v.invariant)}</td><td>${v.kind}</td><td>${esc(formatSimTime(msToUs(v.atMs)))}</td><td>${v.count}</td><td>${esc(v.message)}</td></tr>`,
      );
    parts.push('</table>');
  }
  parts.push('</figure>');
  return {
    title: options.title ?? `${result.scenario} (${result.variant}, seed ${result.seed})`,
    html: parts.join('\n'),
  };
}

function button(action: string, label: string): string {
  return `<button type="button" data-action="${action}">${esc(label)}</button>`;
}
