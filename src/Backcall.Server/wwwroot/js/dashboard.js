// The console dashboard: fetches /admin/data/dashboard every 5 seconds and redraws figures and charts.
(function () {
  'use strict';

  var C = window.BackcallCharts;
  var $ = function (id) { return document.getElementById(id); };
  var windowSelect = $('window');
  var timer = null;

  function per(seconds) { return seconds === 60 ? 'per minute' : 'per ' + (seconds / 60) + ' minutes'; }

  function draw(d) {
    var s = d.series, totals = d.totals;
    $('stat-live').textContent = d.live_authorizations;
    $('stat-created').textContent = totals.created;
    $('stat-confirmed').textContent = totals.confirmed;
    $('stat-expired').textContent = totals.expired;
    $('stat-rate').textContent = totals.confirmation_rate === null || totals.confirmation_rate === undefined ? '–' : totals.confirmation_rate + '%';
    $('stat-calls').textContent = totals.calls_matched + ' / ' + totals.calls_unmatched;
    $('stat-webhooks').textContent = totals.webhooks_delivered + ' / ' + totals.webhooks_failed + ' / ' + totals.webhooks_pending;
    document.querySelectorAll('.per').forEach(function (e) { e.textContent = per(d.bucket_seconds); });

    C.lines($('chart-authorizations'), $('legend-authorizations'), {
      t: s.t,
      series: [
        { name: 'created', cls: 's1', values: s.created },
        { name: 'confirmed', cls: 's2', values: s.confirmed },
        { name: 'expired', cls: 's3', values: s.expired }
      ]
    });
    C.lines($('chart-rate'), $('legend-rate'), {
      t: s.t, percent: true,
      series: [{ name: 'confirmed of finished', cls: 's2', values: s.rate }]
    });
    C.bars($('chart-time-to-call'), $('legend-time-to-call'), {
      labels: d.time_to_call.labels,
      series: [{ name: 'confirmations', cls: 's1', values: d.time_to_call.counts }]
    });
    var calls = [
      { name: 'matched', cls: 's2', values: s.calls_matched },
      { name: 'unmatched', cls: 's4', values: s.calls_unmatched }
    ];
    if (d.sip && d.sip.denied) { calls.push({ name: 'SIP denied', cls: 's3', values: d.sip.denied }); }
    C.bars($('chart-calls'), $('legend-calls'), { labels: s.t.map(C.timeLabel), series: calls });
    $('sip-note').textContent = d.sip ? d.sip.note : '';
    C.bars($('chart-webhooks'), $('legend-webhooks'), {
      labels: s.t.map(C.timeLabel),
      series: [
        { name: 'succeeded', cls: 's2', values: s.webhook_ok },
        { name: 'failed', cls: 's3', values: s.webhook_failed }
      ]
    });
    $('updated').textContent = 'updated ' + new Date(d.generated_at).toLocaleTimeString();
    document.body.setAttribute('data-dashboard', 'ready');
  }

  function load() {
    fetch('/admin/data/dashboard?minutes=' + encodeURIComponent(windowSelect.value), { headers: { 'Accept': 'application/json' }, credentials: 'same-origin' })
      .then(function (r) {
        if (r.status === 401) { location.href = '/admin/login'; return null; }
        return r.ok ? r.json() : null;
      })
      .then(function (d) { if (d) { draw(d); } })
      .catch(function () { $('updated').textContent = 'no connection, retrying…'; });
  }

  windowSelect.addEventListener('change', load);
  load();
  timer = setInterval(load, 5000);
  window.addEventListener('beforeunload', function () { clearInterval(timer); });
}());
