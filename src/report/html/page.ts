import { esc } from './escape.js';
import { PAGE_SCRIPT } from './page-script.js';

/** One titled part of a report page (a run diagram, a compare chart). */
export interface PageSection {
  readonly title: string;
  readonly html: string;
}

const STYLE = `
:root { --fg: #1d232b; --muted: #6b7580; --chain: #d1242f; --band: rgba(209, 36, 47, 0.13); }
body { font: 13px/1.45 system-ui, sans-serif; color: var(--fg); margin: 16px 20px; }
h1 { font-size: 18px; margin: 0 0 4px; }
h2 { font-size: 15px; margin: 22px 0 4px; border-top: 1px solid #ddd; padding-top: 12px; }
p.meta, p.omitted, p.help { color: var(--muted); margin: 2px 0; }
p.omitted { color: #8a5a00; }
.toolbar { margin: 6px 0; }
.toolbar button { font: inherit; margin-right: 4px; padding: 1px 8px; cursor: pointer; }
.toolbar button.on { background: #1d232b; color: #fff; }
.scroll { overflow-x: auto; border: 1px solid #ddd; }
svg.diagram { display: block; user-select: none; width: 100%; min-width: 900px; height: auto; }
svg text { font: 11px system-ui, sans-serif; }
.stripe { fill: #fff; }
.lane:nth-child(even) .stripe { fill: #f6f8fa; }
.lane.node .lane-label, .lane.scenario .lane-label { font-weight: 600; }
.lane.actor .lane-label, .lane.track .lane-label { fill: var(--muted); }
.tick { stroke: #e3e6ea; }
.tick-label { fill: var(--muted); font-size: 10px; }
.band rect { fill: var(--band); stroke: var(--chain); stroke-width: 0.5; }
.band text { fill: var(--chain); font-weight: 600; }
.span.life { fill: #cfe3f7; stroke: #6a9fd4; }
.span.paused { fill: #fbe3b6; stroke: #d49a2a; }
.span.track { fill: #dcf1dc; stroke: #6bb26b; }
.msg { stroke: #8895a3; stroke-width: 0.8; }
.msg.dropped { stroke: #c27c0e; stroke-dasharray: 3 2; }
.head path { fill: #8895a3; }
.head.chain path { fill: var(--chain); }
.chain.msg, .cause { stroke: var(--chain); stroke-width: 2.2; }
.cause { stroke-dasharray: 5 3; fill: none; }
.mark.timer line { stroke: #9aa5b1; }
.mark.note circle { fill: #56606b; }
.mark.fault path { fill: var(--chain); }
.mark.fault text { fill: var(--chain); font-weight: 600; }
.mark.why circle { fill: var(--chain); stroke: #fff; stroke-width: 1.5; }
.mark.why text { fill: #fff; font-size: 9px; font-weight: 700; }
.mark.chain.timer line { stroke: var(--chain); stroke-width: 2.5; }
.focus, .ancestor { stroke: #0969da !important; stroke-width: 3.5 !important; }
g.focus circle, g.ancestor circle, g.ancestor line { stroke: #0969da; stroke-width: 3; }
ol.why { margin: 6px 0; padding-left: 28px; }
ol.why li { cursor: default; }
ol.why li:hover { background: #fff4d6; }
ol.why li.folded { color: var(--muted); list-style: none; }
table { border-collapse: collapse; margin: 6px 0; }
td, th { border: 1px solid #ddd; padding: 2px 8px; text-align: left; }
svg.chart .bar { fill: #6a9fd4; }
svg.chart .whisker { stroke: #1d232b; stroke-width: 1.2; }
svg.chart .grid { stroke: #e3e6ea; }
`;

/** A whole self-contained page: inline style and script, nothing fetched. */
export function renderPage(title: string, intro: string, sections: readonly PageSection[]): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    // No network at all: the page cannot fetch, even by mistake.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`,
    `<title>${esc(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head><body>',
    `<h1>${esc(title)}</h1>`,
    `<p class="meta">${esc(intro)}</p>`,
    ...sections.map((s) => `<section><h2>${esc(s.title)}</h2>\n${s.html}\n</section>`),
    `<script>${PAGE_SCRIPT}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}
