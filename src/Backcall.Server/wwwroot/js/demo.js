// The login-by-call demo: phone → number to call (QR, tap-to-call, countdown) → live status → result.
// The wait for the call (events or polling, countdown) is waiting.js's, shared with the sign-in page.
(function () {
  'use strict';

  var TEXT = {
    en: {
      title: 'Log in by a call',
      intro: 'Enter your phone. We show a number: call it, we reject the call before it is answered, so it costs you nothing, and you are in.',
      phoneLabel: 'Your phone',
      start: 'Get a number to call',
      starting: 'Getting a number…',
      callTitle: 'Call this number',
      callFrom: 'from',
      tapToCall: 'Tap to call',
      qrHint: "On a computer? Scan the code with your phone's camera.",
      timeLeft: 'Time left',
      waiting: 'Waiting for your call…',
      checking: 'Checking…',
      polling: 'Waiting for your call… (checking every 2 seconds)',
      simulateHint: 'Demo mode: no phone line needed. This button sends the server a real call from your phone.',
      simulate: 'Simulate the call',
      simulateOther: 'Simulate a call from another phone',
      calling: 'Calling…',
      changePhone: 'Use another phone',
      successTitle: 'Phone confirmed',
      successText: 'You are logged in as',
      again: 'Start over',
      expiredTitle: 'Time is up',
      expiredText: 'We did not get your call in time. Get a new number and call it.',
      retry: 'Get a new number',
      otherCaller: 'A call came from another phone ({other}). Please call from {user}: that is the phone you are confirming.',
      otherCallerExpired: 'The only call came from another phone ({other}), not from {user}.',
      footer: 'A demo of Backcall, self-hosted phone verification by a reverse call.',
      docs: 'API reference',
      console: 'Operator console',
      err_bad_phone: 'This does not look like a phone number. Write it as +7 900 123-45-67 or 8 900 123-45-67.',
      err_rate_limited: 'Too many attempts for this phone. Please wait a few minutes.',
      err_no_free_number: 'No number is free right now. Please try again in a minute.',
      err_token_disabled: 'The demo is switched off by the operator.',
      err_network: 'No connection to the server. Check your network and try again.',
      err_generic: 'Something went wrong: {message}'
    },
    ru: {
      title: 'Вход по звонку',
      intro: 'Введите номер телефона. Мы покажем номер: позвоните на него — мы сбросим вызов до ответа, звонок бесплатный, — и вы вошли.',
      phoneLabel: 'Ваш телефон',
      start: 'Получить номер для звонка',
      starting: 'Получаем номер…',
      callTitle: 'Позвоните на этот номер',
      callFrom: 'с телефона',
      tapToCall: 'Позвонить',
      qrHint: 'Вы за компьютером? Наведите камеру телефона на код.',
      timeLeft: 'Осталось',
      waiting: 'Ждём вашего звонка…',
      checking: 'Проверяем…',
      polling: 'Ждём вашего звонка… (проверяем каждые 2 секунды)',
      simulateHint: 'Демо-режим: телефонная линия не нужна. Кнопка отправит серверу настоящий звонок с вашего номера.',
      simulate: 'Имитировать звонок',
      simulateOther: 'Имитировать звонок с другого номера',
      calling: 'Звоним…',
      changePhone: 'Указать другой номер',
      successTitle: 'Телефон подтверждён',
      successText: 'Вы вошли с номером',
      again: 'Начать заново',
      expiredTitle: 'Время вышло',
      expiredText: 'Мы не дождались звонка. Получите новый номер и позвоните на него.',
      retry: 'Получить новый номер',
      otherCaller: 'Звонок поступил с другого номера ({other}). Позвоните, пожалуйста, с номера {user} — именно его вы подтверждаете.',
      otherCallerExpired: 'Звонок был только с другого номера ({other}), а не с {user}.',
      footer: 'Демонстрация Backcall — подтверждения телефона обратным звонком на своём сервере.',
      docs: 'Документация API',
      console: 'Консоль оператора',
      err_bad_phone: 'Это не похоже на номер телефона. Напишите так: +7 900 123-45-67 или 8 900 123-45-67.',
      err_rate_limited: 'Слишком много попыток для этого номера. Подождите несколько минут.',
      err_no_free_number: 'Сейчас нет свободного номера. Попробуйте через минуту.',
      err_token_disabled: 'Демонстрация отключена оператором.',
      err_network: 'Нет связи с сервером. Проверьте сеть и попробуйте ещё раз.',
      err_generic: 'Что-то пошло не так: {message}'
    }
  };

  var $ = function (id) { return document.getElementById(id); };
  var W = window.BackcallWaiting;
  var setError = W.setError;
  var state = null; // the current attempt: {id, phone, userPhone, wait, lastStatus}
  var i18n = W.texts(TEXT, function () { if (state && state.lastStatus) { render(state.lastStatus); } });
  var t = i18n.t;

  var show = W.screens(['screen-phone', 'screen-call', 'screen-success', 'screen-expired']);
  var postJson = W.postJson;
  function errorText(body, status) { return W.errorText(TEXT, t, body, status); }

  function stop() {
    if (state && state.wait) { state.wait.stop(); }
  }

  function start(phone) {
    stop();
    var button = $('start');
    button.disabled = true;
    button.textContent = t('starting');
    setError($('phone-error'), '');
    return postJson('/demo/api/start', { phone: phone }).then(function (r) {
      if (!r.ok) {
        show('screen-phone');
        setError($('phone-error'), errorText(r.body, r.status));
        return;
      }
      begin(phone, r.body);
    }).catch(function () {
      show('screen-phone');
      setError($('phone-error'), t('err_network'));
    }).then(function () {
      button.disabled = false;
      button.textContent = t('start');
    });
  }

  function begin(phone, a) {
    var attempt = { id: a.id, phone: phone, userPhone: a.user_phone_display, lastStatus: null };
    state = attempt;
    $('user-phone').textContent = a.user_phone_display;
    W.showNumber(a);
    setError($('other-caller'), '');
    setError($('simulate-error'), '');
    show('screen-call');
    attempt.wait = W.wait({
      events: '/demo/api/status/' + a.id,
      check: '/demo/api/check/' + a.id,
      lifetime: a.lifetime_seconds,
      secondsLeft: a.seconds_left,
      t: t,
      onStatus: function (s) { if (attempt === state) { render(s); } }
    });
  }

  function render(s) {
    state.lastStatus = s;
    if (s.status === 'ok') {
      // The server masks the phone in its answers; the page shows the one its visitor typed.
      $('confirmed-phone').textContent = state.userPhone;
      show('screen-success');
      return;
    }
    if (s.status === 'expired') {
      setError($('expired-other'), s.other_caller ? t('otherCallerExpired', { other: s.other_caller, user: state.userPhone }) : '');
      show('screen-expired');
      return;
    }
    setError($('other-caller'), s.other_caller ? t('otherCaller', { other: s.other_caller, user: state.userPhone }) : '');
  }

  function simulate(from) {
    if (!state) { return; }
    var button = from === 'other' ? $('simulate-other') : $('simulate');
    button.disabled = true;
    setError($('simulate-error'), '');
    postJson('/demo/api/simulate/' + state.id, { from: from }).then(function (r) {
      if (!r.ok) { setError($('simulate-error'), errorText(r.body, r.status)); }
    }).catch(function () {
      setError($('simulate-error'), t('err_network'));
    }).then(function () { button.disabled = false; });
  }

  function backToPhone() {
    stop();
    state = null;
    show('screen-phone');
    $('phone').focus();
  }

  $('phone-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var phone = $('phone').value.trim();
    if (!phone) { setError($('phone-error'), t('err_bad_phone')); return; }
    start(phone);
  });
  $('simulate').addEventListener('click', function () { simulate('user'); });
  $('simulate-other').addEventListener('click', function () { simulate('other'); });
  $('retry').addEventListener('click', function () { start(state ? state.phone : $('phone').value.trim()); });
  $('change-phone').addEventListener('click', backToPhone);
  $('expired-change').addEventListener('click', backToPhone);
  $('again').addEventListener('click', function () { $('phone').value = ''; backToPhone(); });
  i18n.apply(i18n.current());
}());
