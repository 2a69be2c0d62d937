/**
 * The page's only script, inline (no network): zoom and pan on each run diagram's time axis
 * (wheel or buttons, drag to pan), an "event order" axis that spreads events evenly so close
 * messages read as a Lamport diagram, the time ticks, and highlights — a `why` step under the
 * pointer, or the causal ancestors of a clicked event.
 */
export const PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var figures = document.querySelectorAll('figure.run');
  for (var i = 0; i < figures.length; i++) setup(figures[i]);

  function setup(fig) {
    var svg = fig.querySelector('svg.diagram');
    var plot = svg.querySelector('g.plot');
    var axis = svg.querySelector('g.axis');
    var endUs = Number(svg.dataset.end);
    var width = Number(svg.dataset.width);
    var top = Number(svg.dataset.top);
    var height = Number(svg.getAttribute('height'));
    var placed = Array.prototype.slice.call(plot.querySelectorAll('[data-a]'));
    var causes = JSON.parse(fig.querySelector('script.causes').textContent || '{}');
    var times = [0, endUs];
    placed.forEach(function (el) {
      times.push(Number(el.dataset.a));
      if (el.dataset.b !== undefined) times.push(Number(el.dataset.b));
    });
    times = times.sort(function (a, b) { return a - b; }).filter(function (t, k, all) { return k === 0 || t !== all[k - 1]; });
    var ordered = false;
    var view = [0, endUs];

    // Position in [0, 1] of a time on the axis: linear time, or its rank among the events' times.
    function unit(t) {
      if (!ordered) return t / endUs;
      var lo = 0, hi = times.length - 1;
      while (hi - lo > 1) { var m = (lo + hi) >> 1; if (times[m] <= t) lo = m; else hi = m; }
      var span = times[hi] - times[lo];
      var f = span > 0 ? Math.min(1, Math.max(0, (t - times[lo]) / span)) : 0;
      return (lo + f) / (times.length - 1);
    }
    function timeAt(u) {
      if (!ordered) return u * endUs;
      var p = Math.min(times.length - 1, Math.max(0, u * (times.length - 1)));
      var k = Math.floor(p);
      var next = times[Math.min(times.length - 1, k + 1)];
      return times[k] + (p - k) * (next - times[k]);
    }
    function x(t) { return ((unit(t) - view[0]) / (view[1] - view[0])) * width; }
    // Decimals of seconds enough to tell apart ticks step µs apart: 1m06s, 1m06.25s, 1m06.0125s.
    function fmt(us, step) {
      var d = step >= 1e6 ? 0 : step >= 1e5 ? 1 : step >= 1e4 ? 2 : step >= 1e3 ? 3 : 4;
      var s = us / 1e6;
      var m = Math.floor(s / 60);
      var rest = (s - m * 60).toFixed(d);
      return m > 0 ? m + 'm' + rest.padStart(d > 0 ? 3 + d : 2, '0') + 's' : rest + 's';
    }
    function draw() {
      view[0] = Math.max(0, view[0]);
      view[1] = Math.min(1, view[1]);
      placed.forEach(function (el) {
        var a = x(Number(el.dataset.a));
        var tag = el.tagName.toLowerCase();
        if (tag === 'g') el.setAttribute('transform', 'translate(' + a.toFixed(2) + ',0)');
        else if (tag === 'line') { el.setAttribute('x1', a.toFixed(2)); el.setAttribute('x2', x(Number(el.dataset.b)).toFixed(2)); }
        else if (tag === 'rect') {
          // At least 2 px, and never past the right edge: a violation judged at the end stays visible.
          var w = Math.max(2, x(Number(el.dataset.b)) - a);
          el.setAttribute('x', Math.min(a, width - 2).toFixed(2));
          el.setAttribute('width', w.toFixed(2));
        } else if (tag === 'text') {
          var right = a > width * 0.8;
          el.setAttribute('x', Math.min(a, width).toFixed(2));
          el.setAttribute('text-anchor', right ? 'end' : 'start');
          el.setAttribute('dx', right ? '-3' : '3');
        }
      });
      var ticks = '';
      var step = (timeAt(view[1]) - timeAt(view[0])) / 8;
      for (var k = 0; k <= 8; k++) {
        var px = (k / 8) * width;
        var t = timeAt(view[0] + (k / 8) * (view[1] - view[0]));
        ticks += '<line class="tick" x1="' + px + '" x2="' + px + '" y1="' + (top - 2) + '" y2="' + height + '"/>' +
          '<text class="tick-label" x="' + (px + 2) + '" y="10">' + fmt(t, step) + '</text>';
      }
      axis.innerHTML = ticks;
    }
    function zoom(factor, centre) {
      var c = view[0] + centre * (view[1] - view[0]);
      var w = Math.min(1, Math.max(1e-7, (view[1] - view[0]) * factor));
      view = [c - centre * w, c - centre * w + w];
      if (view[0] < 0) view = [0, w];
      if (view[1] > 1) view = [1 - w, 1];
      draw();
    }
    function show(fromUs, toUs) {
      var a = unit(fromUs), b = unit(toUs);
      // At least 2% of the run around a short range (an episode judged at the very end).
      var pad = Math.max((b - a) * 0.08, 0.01);
      view = [a - pad, b + pad];
      draw();
    }
    function rangeOf(selector) {
      var found = plot.querySelectorAll(selector);
      if (found.length === 0) return null;
      var lo = Infinity, hi = -Infinity;
      for (var k = 0; k < found.length; k++) {
        lo = Math.min(lo, Number(found[k].dataset.a));
        hi = Math.max(hi, Number(found[k].dataset.b !== undefined ? found[k].dataset.b : found[k].dataset.a));
      }
      return [lo, hi];
    }
    function plotFraction(event) {
      var box = svg.getBoundingClientRect();
      var scale = box.width / Number(svg.getAttribute('width'));
      return Math.min(1, Math.max(0, (event.clientX - box.left - Number(svg.dataset.label) * scale) / (width * scale)));
    }
    svg.addEventListener('wheel', function (event) {
      event.preventDefault();
      zoom(event.deltaY > 0 ? 1.25 : 0.8, plotFraction(event));
    }, { passive: false });
    var dragFrom = null;
    svg.addEventListener('mousedown', function (event) { dragFrom = { x: plotFraction(event), view: view.slice() }; });
    window.addEventListener('mouseup', function () { dragFrom = null; });
    svg.addEventListener('mousemove', function (event) {
      if (dragFrom === null || event.buttons === 0) return;
      var shift = (dragFrom.x - plotFraction(event)) * (dragFrom.view[1] - dragFrom.view[0]);
      view = [dragFrom.view[0] + shift, dragFrom.view[1] + shift];
      if (view[0] < 0) view = [0, view[1] - view[0]];
      if (view[1] > 1) view = [1 - (view[1] - view[0]), 1];
      draw();
    });
    fig.querySelectorAll('button[data-action]').forEach(function (button) {
      button.addEventListener('click', function () {
        var action = button.dataset.action;
        if (action === 'in') zoom(0.5, 0.5);
        else if (action === 'out') zoom(2, 0.5);
        else if (action === 'fit') { view = [0, 1]; draw(); }
        else if (action === 'order') { ordered = !ordered; button.classList.toggle('on', ordered); view = [0, 1]; draw(); }
        else {
          var range = rangeOf(action === 'chain' ? '.chain[data-a]' : '.band rect');
          if (range !== null) show(range[0], action === 'chain' ? range[1] : Math.min(range[1], range[0] + (range[1] - range[0]) * 0.2 + 1));
        }
      });
    });

    // A why step under the pointer lights its event; a click on an event lights its causes.
    function light(seqs, cls) {
      plot.querySelectorAll('.' + cls).forEach(function (el) { el.classList.remove(cls); });
      seqs.forEach(function (seq) {
        plot.querySelectorAll('[data-seq="' + seq + '"]').forEach(function (el) { el.classList.add(cls); });
      });
    }
    fig.querySelectorAll('li[data-seq]').forEach(function (li) {
      li.addEventListener('mouseenter', function () { light([li.dataset.seq], 'focus'); });
      li.addEventListener('mouseleave', function () { light([], 'focus'); });
    });
    plot.addEventListener('click', function (event) {
      var el = event.target.closest('[data-seq]');
      if (el === null) { light([], 'ancestor'); return; }
      var seqs = [], seq = el.dataset.seq, hops = 0;
      while (seq !== undefined && hops++ < 10000) { seqs.push(seq); seq = causes[seq]; }
      light(seqs, 'ancestor');
    });
    draw();
  }
})();
`;
