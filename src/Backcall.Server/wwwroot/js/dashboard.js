// The console dashboard: fetches /admin/data/dashboard every 5 seconds and redraws figures, charts and the
// per-token table. Its words come from the page (data-* of #dashboard-texts), in the page's language.
(function () {
  'use strict';

  var C = window.BackcallCharts;
  var $ = function (id) { return document.getElementById(id); };
  var texts = $('dashboard-texts').dataset;
  var windowSelect = $('window');
  var timer = null;

  function format(text, value) { return text.replace('{0}', value); }
  function per(seconds) { return seconds === 60 ? texts.perMinute : format(texts.perMinutes, seconds / 60); }
  function rate(value) { return value === null || value === undefined ? '–' : value + '%'; }

  function cell(row, text, cls) {
    var td = document.createElement('td');
    td.textContent = text;
    if (cls) { td.className = cls; }
    row.appendChild(td);
    return td;
  }

  // Each token with activity in the window; names are text, never markup.
  function tokens(list) {
    var body = document.querySelector('#tokens-activity tbody');
    if (!list.length) { return; }
    body.textContent = '';
    list.forEach(function (t) {
      var row = document.createElement('tr');
      var name = cell(row, '');
      var link = document.createElement('a');
      link.href = '/admin/authorizations?token=' + encodeURIComponent(t.id);
      link.textContent = t.name;
      name.appendChild(link);
      var id = document.createElement('span');
      id.className = 'muted nowrap';
      id.textContent = ' #' + t.id;
      name.appendChild(id);
      [t.created, t.confirmed, t.expired].forEach(function (v) { cell(row, v, 'num'); });
      cell(row, rate(t.confirmation_rate), 'num');
      [t.refused402, t.refused429, t.refused503].forEach(function (v) { cell(row, v, 'num'); });
      body.appendChild(row);
    });
  }

  function draw(d) {
    var s = d.series, totals = d.totals;
    $('stat-live').textContent = d.live_authorizations;
    $('stat-identify').textContent = d.identify.held + ' / ' + d.identify.free;
    $('stat-identify-capacity').textContent =
      format(texts.perLifetime, d.identify.per_lifetime).replace('{1}', d.identify.lifetime_seconds);
    $('stat-created').textContent = totals.created;
    $('stat-confirmed').textContent = totals.confirmed;
    $('stat-expired').textContent = totals.expired;
    $('stat-rate').textContent = totals.confirmation_rate === null ? texts.noneFinished : rate(totals.confirmation_rate);
    $('stat-calls').textContent = totals.calls_matched + ' / ' + totals.calls_unmatched;
    $('stat-webhooks').textContent = totals.webhook_attempts_ok + ' / ' + totals.webhook_attempts_failed;
    $('stat-webhooks-pending').textContent = totals.webhooks_pending;
    $('stat-402').textContent = totals.refused402;
    $('stat-429').textContent = totals.refused429;
    $('stat-503').textContent = totals.refused503;
    document.querySelectorAll('.per').forEach(function (e) { e.textContent = per(d.bucket_seconds); });

    C.lines($('chart-authorizations'), $('legend-authorizations'), {
      t: s.t,
      series: [
        { name: texts.created, cls: 's1', values: s.created },
        { name: texts.confirmed, cls: 's2', values: s.confirmed },
        { name: texts.expired, cls: 's3', values: s.expired }
      ]
    });
    C.lines($('chart-rate'), $('legend-rate'), {
      t: s.t, percent: true,
      series: [{ name: texts.rate, cls: 's2', values: s.rate }]
    });
    C.bars($('chart-time-to-call'), $('legend-time-to-call'), {
      labels: d.time_to_call.labels,
      series: [{ name: texts.confirmations, cls: 's1', values: d.time_to_call.counts }]
    });
    var calls = [
      { name: texts.matched, cls: 's2', values: s.calls_matched },
      { name: texts.unmatched, cls: 's4', values: s.calls_unmatched }
    ];
    if (d.sip && d.sip.denied) { calls.push({ name: texts.denied, cls: 's3', values: d.sip.denied }); }
    C.bars($('chart-calls'), $('legend-calls'), { labels: s.t.map(C.timeLabel), series: calls });
    C.bars($('chart-webhooks'), $('legend-webhooks'), {
      labels: s.t.map(C.timeLabel),
      series: [
        { name: texts.succeeded, cls: 's2', values: s.webhook_ok },
        { name: texts.failed, cls: 's3', values: s.webhook_failed }
      ]
    });
    tokens(d.tokens);
    $('updated').textContent = format(texts.updated, C.clock(d.generated_at));
    document.body.setAttribute('data-dashboard', 'ready');
  }

  function load() {
    fetch('/admin/data/dashboard?minutes=' + encodeURIComponent(windowSelect.value), { headers: { 'Accept': 'application/json' }, credentials: 'same-origin' })
      .then(function (r) {
        if (r.status === 401) { location.href = '/admin/login'; return null; }
        return r.ok ? r.json() : null;
      })
      .then(function (d) { if (d) { draw(d); } })
      .catch(function () { $('updated').textContent = texts.offline; });
  }

  windowSelect.addEventListener('change', load);
  load();
  timer = setInterval(load, 5000);
  window.addEventListener('beforeunload', function () { clearInterval(timer); });
}());
