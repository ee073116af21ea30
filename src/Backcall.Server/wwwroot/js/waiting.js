// Shared by the demo and the sign-in page: their texts in two languages, their requests and error texts, the call
// screen, and the wait for an authorization's status — Server-Sent Events, or polling where they fail (an old
// proxy, a browser without EventSource) — with the countdown. The pages keep their own screens and texts; the
// elements #auth-number, #call-link, #qr, #countdown, #countdown-bar and #status-text are the same in both.
window.BackcallWaiting = (function () {
  'use strict';

  var $ = function (id) { return document.getElementById(id); };

  // The page's texts: t(key, vars) in the current language, apply(lang) to switch (remembered in a cookie).
  function texts(TEXT, rerender) {
    var lang = TEXT[document.documentElement.lang] ? document.documentElement.lang : 'en';
    function t(key, vars) {
      var s = (TEXT[lang][key] || TEXT.en[key] || key);
      Object.keys(vars || {}).forEach(function (k) { s = s.split('{' + k + '}').join(vars[k]); });
      return s;
    }
    function apply(next) {
      lang = TEXT[next] ? next : 'en';
      document.documentElement.lang = lang;
      document.cookie = 'backcall_lang=' + lang + '; path=/; max-age=31536000; samesite=lax';
      document.querySelectorAll('[data-i18n]').forEach(function (el) { el.textContent = t(el.getAttribute('data-i18n')); });
      document.querySelectorAll('.lang button').forEach(function (b) { b.setAttribute('aria-pressed', String(b.getAttribute('data-lang') === lang)); });
      rerender();
    }
    document.querySelectorAll('.lang button').forEach(function (b) {
      b.addEventListener('click', function () { apply(b.getAttribute('data-lang')); });
    });
    return { t: t, apply: apply, current: function () { return lang; } };
  }

  function setError(el, message) {
    el.textContent = message || '';
    el.hidden = !message;
  }

  // A function showing one of the page's screens (section ids) and hiding the others.
  function screens(ids) {
    return function (screen) { ids.forEach(function (id) { $(id).hidden = id !== screen; }); };
  }

  // POSTs JSON; resolves {ok, status, body} (body {} when the answer is not JSON), rejects on a network error.
  function postJson(url, data) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
      body: JSON.stringify(data || {})
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) { return { ok: r.ok, status: r.status, body: body }; });
    });
  }

  // The page's own text for an error answer's code (err_<code>), else the server's message.
  function errorText(TEXT, t, body, status) {
    if (body && body.code && TEXT.en['err_' + body.code]) { return t('err_' + body.code); }
    return t('err_generic', { message: (body && body.error) || ('HTTP ' + status) });
  }

  // Fills the call screen with the number to call: text, tap-to-call link and QR code.
  function showNumber(a) {
    $('auth-number').textContent = a.auth_phone_display;
    $('auth-number').href = a.tel;
    $('call-link').href = a.tel;
    $('qr').src = a.url_image;
    $('qr').alt = a.auth_phone_display;
  }

  // Waits for one attempt: options {events, check, lifetime, secondsLeft, t, onStatus}. onStatus gets every status;
  // the wait stops itself on a final one. Returns {stop, done, polling}.
  function wait(options) {
    var forcePolling = /[?&]transport=poll\b/.test(location.search) || typeof EventSource === 'undefined';
    var w = { done: false, polling: false, askedAtZero: false, source: null, poll: 0, tick: 0 };
    var deadline = Date.now() + options.secondsLeft * 1000;

    w.stop = function () {
      w.done = true;
      if (w.source) { w.source.close(); w.source = null; }
      clearInterval(w.poll);
      clearInterval(w.tick);
    };

    function status(s) {
      if (w.done) { return; }
      if (s.status !== 'pending') { w.stop(); }
      if (typeof s.seconds_left === 'number') { deadline = Date.now() + s.seconds_left * 1000; }
      if (s.status === 'pending' && !w.askedAtZero) { $('status-text').textContent = options.t(w.polling ? 'polling' : 'waiting'); }
      options.onStatus(s);
    }

    function checkOnce() {
      if (w.done) { return; }
      fetch(options.check, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (s) { if (s) { status(s); } })
        .catch(function () { /* the next poll tries again */ });
    }

    function startPolling() {
      w.polling = true;
      $('status-text').textContent = options.t('polling');
      document.body.setAttribute('data-transport', 'poll');
      w.poll = setInterval(checkOnce, 2000);
      checkOnce();
    }

    function tick() {
      if (w.done) { return; }
      var left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
      $('countdown').textContent = Math.floor(left / 60) + ':' + String(left % 60).padStart(2, '0');
      $('countdown-bar').style.width = (options.lifetime ? (100 * left / options.lifetime) : 0) + '%';
      $('countdown').parentNode.classList.toggle('low', left <= 10);
      // The server says "expired" right at the deadline; if that word is slow, ask.
      if (left === 0 && !w.askedAtZero) {
        w.askedAtZero = true;
        $('status-text').textContent = options.t('checking');
        setTimeout(checkOnce, 1500);
      }
    }

    $('status-text').textContent = options.t('waiting');
    w.tick = setInterval(tick, 250);
    tick();
    if (forcePolling) {
      startPolling();
    } else {
      var source = new EventSource(options.events);
      w.source = source;
      source.addEventListener('status', function (e) { status(JSON.parse(e.data)); });
      source.addEventListener('gone', function () { source.close(); });
      source.onerror = function () {
        // A final status closes the stream on purpose; anything else falls back to polling.
        source.close();
        if (!w.done) {
          w.source = null;
          startPolling();
        }
      };
    }
    return w;
  }

  return {
    texts: texts, setError: setError, screens: screens, postJson: postJson, errorText: errorText,
    showNumber: showNumber, wait: wait
  };
}());
