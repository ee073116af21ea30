// The sign-in page of Backcall's OpenID Connect provider: choose "just call" or type a phone → number to call
// (QR, tap-to-call, countdown) → live status by Server-Sent Events (polling if they fail) → back to the app.
// The page's ticket (from the server) names the app and the request; the attempt itself lives in an HttpOnly
// cookie, so no id appears here. On the call the page reloads the authorize URL, which answers with the code.
(function () {
  'use strict';

  var TEXT = {
    en: {
      title: 'Sign in by a call',
      toApp: 'to',
      intro: 'We show a number: call it from your phone. We reject the call before it is answered, so it costs nothing.',
      used: 'This sign-in was already finished. Start a new one.',
      justCall: 'Just call — no typing',
      justCallHint: 'The phone you call from is the one you sign in with.',
      phoneLabel: 'Or enter your phone',
      start: 'Get a number for this phone',
      starting: 'Getting a number…',
      callTitle: 'Call this number',
      callFrom: 'from',
      callAny: 'from the phone you want to sign in with',
      tapToCall: 'Tap to call',
      qrHint: "On a computer? Scan the code with your phone's camera.",
      timeLeft: 'Time left',
      waiting: 'Waiting for your call…',
      checking: 'Checking…',
      polling: 'Waiting for your call… (checking every 2 seconds)',
      back: 'Choose another way',
      successTitle: 'Phone confirmed',
      returning: 'Returning to the app…',
      expiredTitle: 'Time is up',
      expiredText: 'We did not get your call in time. Get a new number and call it.',
      retry: 'Get a new number',
      otherCaller: 'A call came from another phone ({other}). Please call from {user}: that is the phone you sign in with.',
      otherCallerExpired: 'The only call came from another phone ({other}), not from {user}.',
      footer: 'Backcall: sign in by a phone call. The app learns your phone number, nothing else.',
      err_bad_phone: 'This does not look like a phone number. Write it as +7 900 123-45-67 or 8 900 123-45-67.',
      err_rate_limited: 'Too many attempts. Please wait a few minutes.',
      err_no_free_number: 'No number is free right now. Please try again in a minute.',
      err_quota_exhausted: 'This app cannot sign anyone in right now. Please try again later.',
      err_token_disabled: 'This app cannot sign anyone in right now. Please try again later.',
      err_client_disabled: 'This app may not sign in with Backcall any more.',
      err_page_expired: 'This page has expired. Go back to the app and sign in again.',
      err_cross_site: 'This page must be opened directly, not from another site.',
      err_network: 'No connection to the server. Check your network and try again.',
      err_generic: 'Something went wrong: {message}'
    },
    ru: {
      title: 'Вход по звонку',
      toApp: 'в',
      intro: 'Мы покажем номер: позвоните на него со своего телефона. Мы сбросим вызов до ответа — звонок бесплатный.',
      used: 'Этот вход уже завершён. Начните новый.',
      justCall: 'Просто позвонить — без ввода номера',
      justCallHint: 'Вы войдёте с тем номером, с которого позвоните.',
      phoneLabel: 'Или введите свой номер',
      start: 'Получить номер для этого телефона',
      starting: 'Получаем номер…',
      callTitle: 'Позвоните на этот номер',
      callFrom: 'с телефона',
      callAny: 'с того телефона, с которым хотите войти',
      tapToCall: 'Позвонить',
      qrHint: 'Вы за компьютером? Наведите камеру телефона на код.',
      timeLeft: 'Осталось',
      waiting: 'Ждём вашего звонка…',
      checking: 'Проверяем…',
      polling: 'Ждём вашего звонка… (проверяем каждые 2 секунды)',
      back: 'Выбрать другой способ',
      successTitle: 'Телефон подтверждён',
      returning: 'Возвращаемся в приложение…',
      expiredTitle: 'Время вышло',
      expiredText: 'Мы не дождались звонка. Получите новый номер и позвоните на него.',
      retry: 'Получить новый номер',
      otherCaller: 'Звонок поступил с другого номера ({other}). Позвоните, пожалуйста, с номера {user} — именно с ним вы входите.',
      otherCallerExpired: 'Звонок был только с другого номера ({other}), а не с {user}.',
      footer: 'Backcall: вход по звонку. Приложение узнает только ваш номер телефона.',
      err_bad_phone: 'Это не похоже на номер телефона. Напишите так: +7 900 123-45-67 или 8 900 123-45-67.',
      err_rate_limited: 'Слишком много попыток. Подождите несколько минут.',
      err_no_free_number: 'Сейчас нет свободного номера. Попробуйте через минуту.',
      err_quota_exhausted: 'Это приложение сейчас не может никого впустить. Попробуйте позже.',
      err_token_disabled: 'Это приложение сейчас не может никого впустить. Попробуйте позже.',
      err_client_disabled: 'Этому приложению больше нельзя входить через Backcall.',
      err_page_expired: 'Страница устарела. Вернитесь в приложение и войдите заново.',
      err_cross_site: 'Откройте эту страницу напрямую, а не с другого сайта.',
      err_network: 'Нет связи с сервером. Проверьте сеть и попробуйте ещё раз.',
      err_generic: 'Что-то пошло не так: {message}'
    }
  };

  var $ = function (id) { return document.getElementById(id); };
  var body = document.body;
  var ticket = body.getAttribute('data-ticket');
  var lang = TEXT[document.documentElement.lang] ? document.documentElement.lang : 'en';
  var forcePolling = /[?&]transport=poll\b/.test(location.search) || typeof EventSource === 'undefined';
  var state = null; // the current attempt: {phone, userPhone, deadline, lifetime, source, poll, tick, done, lastStatus}

  function t(key, vars) {
    var s = (TEXT[lang][key] || TEXT.en[key] || key);
    Object.keys(vars || {}).forEach(function (k) { s = s.split('{' + k + '}').join(vars[k]); });
    return s;
  }

  function applyLanguage(next) {
    lang = TEXT[next] ? next : 'en';
    document.documentElement.lang = lang;
    document.cookie = 'backcall_lang=' + lang + '; path=/; max-age=31536000; samesite=lax';
    document.querySelectorAll('[data-i18n]').forEach(function (el) { el.textContent = t(el.getAttribute('data-i18n')); });
    document.querySelectorAll('.lang button').forEach(function (b) { b.setAttribute('aria-pressed', String(b.getAttribute('data-lang') === lang)); });
    if (state && state.lastStatus) { render(state.lastStatus); }
  }

  function show(screen) {
    ['screen-choose', 'screen-call', 'screen-success', 'screen-expired'].forEach(function (id) { $(id).hidden = id !== screen; });
  }

  function setError(el, message) {
    el.textContent = message || '';
    el.hidden = !message;
  }

  function errorText(b, status) {
    if (b && b.code && TEXT.en['err_' + b.code]) { return t('err_' + b.code); }
    return t('err_generic', { message: (b && b.error) || ('HTTP ' + status) });
  }

  function stop() {
    if (!state) { return; }
    state.done = true;
    if (state.source) { state.source.close(); state.source = null; }
    clearInterval(state.poll);
    clearInterval(state.tick);
  }

  // phone: the typed phone, or null to just call (the first phone that calls signs in).
  function start(phone) {
    stop();
    var buttons = [$('start'), $('just-call'), $('retry')];
    buttons.forEach(function (b) { b.disabled = true; });
    setError($('start-error'), '');
    return fetch('/signin/api/start', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
      body: JSON.stringify({ ticket: ticket, phone: phone })
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (b) {
        if (!r.ok) {
          show('screen-choose');
          setError($('start-error'), errorText(b, r.status));
          return;
        }
        begin(phone, b);
      });
    }).catch(function () {
      show('screen-choose');
      setError($('start-error'), t('err_network'));
    }).then(function () {
      buttons.forEach(function (b) { b.disabled = false; });
    });
  }

  function begin(phone, a) {
    state = { phone: phone, userPhone: a.user_phone_display, lifetime: a.lifetime_seconds, done: false, lastStatus: null };
    state.deadline = Date.now() + a.seconds_left * 1000;
    $('from-line').hidden = !a.user_phone_display;
    $('any-line').hidden = !!a.user_phone_display;
    $('user-phone').textContent = a.user_phone_display || '';
    $('auth-number').textContent = a.auth_phone_display;
    $('auth-number').href = a.tel;
    $('call-link').href = a.tel;
    $('qr').src = a.url_image;
    $('qr').alt = a.auth_phone_display;
    $('status-text').textContent = t('waiting');
    setError($('other-caller'), '');
    show('screen-call');
    state.tick = setInterval(tick, 250);
    tick();
    if (forcePolling) { startPolling(); } else { startEvents(); }
  }

  function tick() {
    if (!state || state.done) { return; }
    var left = Math.max(0, Math.ceil((state.deadline - Date.now()) / 1000));
    $('countdown').textContent = Math.floor(left / 60) + ':' + String(left % 60).padStart(2, '0');
    $('countdown-bar').style.width = (state.lifetime ? (100 * left / state.lifetime) : 0) + '%';
    $('countdown').parentNode.classList.toggle('low', left <= 10);
    if (left === 0 && !state.askedAtZero) {
      state.askedAtZero = true;
      $('status-text').textContent = t('checking');
      setTimeout(checkOnce, 1500);
    }
  }

  function startEvents() {
    var attempt = state;
    var source = new EventSource('/signin/api/status');
    attempt.source = source;
    source.addEventListener('status', function (e) {
      if (attempt === state) { render(JSON.parse(e.data)); }
    });
    source.addEventListener('gone', function () { source.close(); });
    source.onerror = function () {
      source.close();
      if (attempt === state && !attempt.done) {
        attempt.source = null;
        startPolling();
      }
    };
  }

  function startPolling() {
    var attempt = state;
    $('status-text').textContent = t('polling');
    body.setAttribute('data-transport', 'poll');
    attempt.poll = setInterval(function () { if (attempt === state) { checkOnce(); } }, 2000);
    checkOnce();
  }

  function checkOnce() {
    var attempt = state;
    if (!attempt || attempt.done) { return; }
    fetch('/signin/api/check', { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) { if (s && attempt === state) { render(s); } })
      .catch(function () { /* the next poll tries again */ });
  }

  function render(s) {
    state.lastStatus = s;
    var user = state.userPhone || '';
    if (s.status === 'ok') {
      stop();
      show('screen-success');
      // The authorize URL again: with this browser's confirmed attempt it answers with the app's code.
      location.replace(location.href);
      return;
    }
    if (s.status === 'expired') {
      stop();
      setError($('expired-other'), s.other_caller && user ? t('otherCallerExpired', { other: s.other_caller, user: user }) : '');
      show('screen-expired');
      return;
    }
    if (typeof s.seconds_left === 'number') { state.deadline = Date.now() + s.seconds_left * 1000; }
    if (!state.askedAtZero) { $('status-text').textContent = t(state.poll ? 'polling' : 'waiting'); }
    setError($('other-caller'), s.other_caller && user ? t('otherCaller', { other: s.other_caller, user: user }) : '');
  }

  function back() {
    stop();
    state = null;
    show('screen-choose');
  }

  $('just-call').addEventListener('click', function () { start(null); });
  $('phone-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var phone = $('phone').value.trim();
    if (!phone) { setError($('start-error'), t('err_bad_phone')); return; }
    start(phone);
  });
  $('retry').addEventListener('click', function () { start(state ? state.phone : null); });
  $('back').addEventListener('click', back);
  $('expired-back').addEventListener('click', back);
  document.querySelectorAll('.lang button').forEach(function (b) {
    b.addEventListener('click', function () { applyLanguage(b.getAttribute('data-lang')); });
  });

  $('used-note').hidden = body.getAttribute('data-used') !== 'true';
  applyLanguage(lang);
}());
