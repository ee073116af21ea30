// Small SVG charts for the console: line charts over time and (stacked) bar charts. No library, no network.
(function (global) {
  'use strict';

  var NS = 'http://www.w3.org/2000/svg';
  var W = 600, H = 220, PAD = { l: 40, r: 10, t: 10, b: 26 };

  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (parent) { parent.appendChild(e); }
    return e;
  }

  function clear(svg) {
    while (svg.firstChild) { svg.removeChild(svg.firstChild); }
    svg.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
  }

  // The axis top: four grid steps of 1, 2 or 5 times a power of ten, so every label is a round number.
  function niceMax(v) {
    var raw = Math.max(v, 4) / 4;
    var p = Math.pow(10, Math.floor(Math.log10(raw)));
    var steps = [1, 2, 5, 10];
    for (var i = 0; i < steps.length; i++) { if (steps[i] * p >= raw) { return 4 * steps[i] * p; } }
    return 40 * p;
  }

  function axes(svg, max, suffix) {
    var g = el('g', { 'class': 'axis' }, svg);
    for (var i = 0; i <= 4; i++) {
      var y = PAD.t + (H - PAD.t - PAD.b) * (1 - i / 4);
      el('line', { x1: PAD.l, x2: W - PAD.r, y1: y, y2: y, 'class': 'grid' }, g);
      var label = el('text', { x: PAD.l - 6, y: y + 4, 'text-anchor': 'end' }, g);
      var v = max * i / 4;
      label.textContent = (Math.round(v * 10) / 10) + (suffix || '');
    }
  }

  function legend(box, series) {
    if (!box) { return; }
    box.textContent = '';
    series.forEach(function (s) {
      var item = document.createElement('span');
      item.className = 'key ' + s.cls;
      item.textContent = s.name + (s.total !== undefined ? ' (' + s.total + ')' : '');
      box.appendChild(item);
    });
  }

  function two(n) { return String(n).padStart(2, '0'); }

  // Times in UTC, 24-hour, as everywhere in the console (the axes say "UTC" once, in their last label).
  function timeLabel(ms) {
    var d = new Date(ms);
    return two(d.getUTCHours()) + ':' + two(d.getUTCMinutes());
  }

  function clock(value) {
    var d = new Date(value);
    return two(d.getUTCHours()) + ':' + two(d.getUTCMinutes()) + ':' + two(d.getUTCSeconds()) + ' UTC';
  }

  function sum(values) { return values.reduce(function (a, v) { return a + (v || 0); }, 0); }

  // opts: {t: [ms], series: [{name, cls, values}], percent: bool}
  function lines(svg, legendBox, opts) {
    clear(svg);
    var n = opts.t.length;
    var all = [0].concat.apply([], opts.series.map(function (s) { return s.values.map(function (v) { return v || 0; }); }));
    var max = opts.percent ? 100 : niceMax(Math.max.apply(null, all));
    axes(svg, max, opts.percent ? '%' : '');
    var x = function (i) { return PAD.l + (W - PAD.l - PAD.r) * (n <= 1 ? 0 : i / (n - 1)); };
    var y = function (v) { return PAD.t + (H - PAD.t - PAD.b) * (1 - v / max); };
    var step = Math.max(1, Math.ceil(n / 6));
    for (var i = 0; i < n; i += step) {
      var tl = el('text', { x: x(i), y: H - 8, 'text-anchor': 'middle', 'class': 'tick' }, svg);
      tl.textContent = timeLabel(opts.t[i]);
    }
    opts.series.forEach(function (s) {
      var d = '', pen = false;
      s.values.forEach(function (v, i) {
        if (v === null || v === undefined) { pen = false; return; }
        d += (pen ? 'L' : 'M') + x(i).toFixed(1) + ' ' + y(v).toFixed(1) + ' ';
        pen = true;
      });
      if (d) { el('path', { d: d, 'class': 'line ' + s.cls }, svg); }
      s.values.forEach(function (v, i) {
        // No point where nothing happened; a real 0 % (all expired) is a point, an empty bucket (null) is not.
        if (v === null || v === undefined || (v === 0 && !opts.percent)) { return; }
        var dot = el('circle', { cx: x(i), cy: y(v), r: 2.5, 'class': 'dot ' + s.cls }, svg);
        el('title', {}, dot).textContent = s.name + ' ' + timeLabel(opts.t[i]) + ': ' + v + (opts.percent ? '%' : '');
      });
      if (!opts.percent) { s.total = sum(s.values); }
    });
    legend(legendBox, opts.series);
  }

  // opts: {labels: [string], series: [{name, cls, values}], stacked: bool}
  function bars(svg, legendBox, opts) {
    clear(svg);
    var n = opts.labels.length;
    var totals = opts.labels.map(function (_, i) { return sum(opts.series.map(function (s) { return s.values[i]; })); });
    var max = niceMax(Math.max.apply(null, [0].concat(totals)));
    axes(svg, max, '');
    var slot = (W - PAD.l - PAD.r) / Math.max(1, n);
    var y = function (v) { return PAD.t + (H - PAD.t - PAD.b) * (1 - v / max); };
    var step = Math.max(1, Math.ceil(n / 8));
    for (var i = 0; i < n; i++) {
      var base = 0;
      opts.series.forEach(function (s) {
        var v = s.values[i] || 0;
        if (v <= 0) { return; }
        var top = y(base + v), bottom = y(base);
        var r = el('rect', { x: PAD.l + slot * i + slot * 0.12, y: top, width: Math.max(1, slot * 0.76), height: Math.max(0.5, bottom - top), 'class': 'col ' + s.cls }, svg);
        el('title', {}, r).textContent = s.name + ' ' + opts.labels[i] + ': ' + v;
        base += v;
      });
      if (i % step === 0) {
        var tl = el('text', { x: PAD.l + slot * (i + 0.5), y: H - 8, 'text-anchor': 'middle', 'class': 'tick' }, svg);
        tl.textContent = opts.labels[i];
      }
    }
    opts.series.forEach(function (s) { s.total = sum(s.values); });
    legend(legendBox, opts.series);
  }

  global.BackcallCharts = { lines: lines, bars: bars, timeLabel: timeLabel, clock: clock };
}(window));
