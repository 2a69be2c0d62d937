import type { Diagram, Mark } from './diagram-model.js';
import { esc } from './escape.js';

/** Pixels of the layout; the page script re-places the time coordinates when the reader zooms. */
const LABEL_W = 210;
const PLOT_W = 1000;
const LANE_H = 20;
/** Above the lanes: the time ticks, then one row per violated invariant for its band labels. */
const AXIS_H = 16;
const BAND_LABEL_H = 12;

const num = (n: number): string => String(Math.round(n * 100) / 100);

/**
 * The run diagram as an SVG element: lanes as rows, time left to right. Every time-placed element
 * carries `data-a` (and `data-b` for an interval) in simulated µs, so the script can zoom without
 * the server's layout; the initial layout fits the whole run.
 */
export function renderRunSvg(diagram: Diagram, id: string): string {
  const invariants = [...new Set(diagram.bands.map((b) => b.invariant))];
  const TOP = AXIS_H + BAND_LABEL_H * invariants.length + 4;
  const height = TOP + diagram.lanes.length * LANE_H + 6;
  const x = (us: number): string => num((us / diagram.endUs) * PLOT_W);
  const mid = (lane: number): number => TOP + lane * LANE_H + LANE_H / 2;
  const title = (text: string): string => `<title>${esc(text)}</title>`;
  const seqAttr = (seq: number | undefined): string => (seq !== undefined ? ` data-seq="${seq}"` : '');
  const out: string[] = [];
  out.push(
    `<svg class="diagram" id="${id}" xmlns="http://www.w3.org/2000/svg" width="${LABEL_W + PLOT_W}" height="${height}" viewBox="0 0 ${LABEL_W + PLOT_W} ${height}"` +
      ` data-end="${diagram.endUs}" data-label="${LABEL_W}" data-width="${PLOT_W}" data-top="${TOP}">`,
    '<defs>',
    `<marker id="${id}-head" class="head" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L8,4 L0,8 z"/></marker>`,
    `<marker id="${id}-head-chain" class="head chain" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L8,4 L0,8 z"/></marker>`,
    `<clipPath id="${id}-clip"><rect x="0" y="0" width="${PLOT_W}" height="${height}"/></clipPath>`,
    '</defs>',
  );

  out.push('<g class="lanes">');
  diagram.lanes.forEach((lane, i) => {
    const y = TOP + i * LANE_H;
    out.push(
      `<g class="lane ${lane.kind}" data-lane="${esc(lane.id)}">` +
        `<rect class="stripe" x="0" y="${y}" width="${LABEL_W + PLOT_W}" height="${LANE_H}"/>` +
        `<text class="lane-label" x="${lane.kind === 'actor' || lane.kind === 'track' ? 16 : 4}" y="${y + LANE_H - 6}">${esc(lane.label)}</text>` +
        `${title(lane.id)}</g>`,
    );
  });
  out.push('</g>');
  out.push(`<g class="axis" transform="translate(${LABEL_W},0)"></g>`);
  out.push(`<g class="plot" transform="translate(${LABEL_W},0)" clip-path="url(#${id}-clip)">`);

  for (const band of diagram.bands)
    out.push(
      `<g class="band" data-invariant="${esc(band.invariant)}">` +
        `<rect data-a="${band.fromUs}" data-b="${band.toUs}" x="${x(band.fromUs)}" width="${x(band.toUs - band.fromUs)}" y="${TOP}" height="${diagram.lanes.length * LANE_H}">${title(band.title)}</rect>` +
        `<text data-a="${band.fromUs}" x="${x(band.fromUs)}" dx="3" y="${AXIS_H + BAND_LABEL_H * (invariants.indexOf(band.invariant) + 1)}">${esc(band.invariant)}</text></g>`,
    );
  for (const span of diagram.spans) {
    const y = TOP + span.lane * LANE_H + 4;
    out.push(
      `<rect class="span ${span.kind}" data-a="${span.fromUs}" data-b="${span.toUs}" x="${x(span.fromUs)}" width="${x(span.toUs - span.fromUs)}" y="${y}" height="${LANE_H - 8}">${title(span.title)}</rect>`,
    );
  }
  for (const arrow of diagram.arrows) {
    const cls = `msg${arrow.chain ? ' chain' : ''}${arrow.dropped ? ' dropped' : ''}`;
    const head = arrow.dropped ? '' : ` marker-end="url(#${id}-head${arrow.chain ? '-chain' : ''})"`;
    out.push(
      `<line class="${cls}"${seqAttr(arrow.seq)} data-a="${arrow.sentUs}" data-b="${arrow.atUs}" x1="${x(arrow.sentUs)}" y1="${mid(arrow.fromLane)}" x2="${x(arrow.atUs)}" y2="${mid(arrow.toLane)}"${head}>${title(arrow.title)}</line>`,
    );
  }
  for (const link of diagram.causeLinks)
    out.push(
      `<line class="cause chain" data-a="${link.fromUs}" data-b="${link.toUs}" x1="${x(link.fromUs)}" y1="${mid(link.fromLane)}" x2="${x(link.toUs)}" y2="${mid(link.toLane)}" marker-end="url(#${id}-head-chain)">${title(link.title)}</line>`,
    );
  for (const mark of diagram.marks) out.push(markSvg(mark, x(mark.atUs), mid(mark.lane), seqAttr(mark.seq)));
  out.push('</g></svg>');
  return out.join('\n');
}

function markSvg(mark: Mark, x: string, y: number, seq: string): string {
  const cls = `mark ${mark.kind}${mark.chain ? ' chain' : ''}`;
  const open = `<g class="${cls}"${seq} data-a="${mark.atUs}" transform="translate(${x},0)">`;
  const title = `<title>${esc(mark.title)}</title>`;
  const label = mark.label !== undefined ? esc(mark.label) : '';
  switch (mark.kind) {
    case 'timer':
      return `${open}<line x1="0" x2="0" y1="${y - 5}" y2="${y + 5}"/>${title}</g>`;
    case 'note':
      return `${open}<circle cx="0" cy="${y}" r="2.5"/>${title}</g>`;
    case 'fault':
      return `${open}<path d="M0,${y - 6} L5,${y} L0,${y + 6} L-5,${y} z"/><text x="7" y="${y + 4}">${label}</text>${title}</g>`;
    case 'why':
      return `${open}<circle cx="0" cy="${y}" r="7"/><text x="0" y="${y + 3.5}" text-anchor="middle">${label}</text>${title}</g>`;
  }
}
