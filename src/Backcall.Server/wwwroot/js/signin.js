// The sign-in page of Backcall's OpenID Connect provider: choose "just call" or type a phone → number to call
// (QR, tap-to-call, countdown) → live status (waiting.js: events, or polling if they fail) → back to the app.
// The page's ticket (from the server) names the app and the request; the attempt itself lives in an HttpOnly
// cookie, so no id appears here. On the call the page sends the authorization request again (by GET or POST, as
// it came), which answers with the code.
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
      phoneOnlyLabel: 'Enter your phone',
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
      err_just_call_disabled: 'This app does not offer "just call". Enter your phone instead.',
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
      phoneOnlyLabel: 'Введите свой номер',
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
      err_just_call_disabled: 'Приложение не предлагает «просто позвонить». Введите свой номер.',
      err_page_expired: 'Страница устарела. Вернитесь в приложение и войдите заново.',
      err_cross_site: 'Откройте эту страницу напрямую, а не с другого сайта.',
      err_network: 'Нет связи с сервером. Проверьте сеть и попробуйте ещё раз.',
      err_generic: 'Что-то пошло не так: {message}'
    }
  };

  var $ = function (id) { return document.getElementById(id); };
  var W = window.BackcallWaiting;
  var setError = W.setError;
  var body = document.body;
  var ticket = body.getAttribute('data-ticket');
  var state = null; // the current attempt: {phone, userPhone, wait, lastStatus}
  var i18n = W.texts(TEXT, function () { if (state && state.lastStatus) { render(state.lastStatus); } });
  var t = i18n.t;

  var show = W.screens(['screen-choose', 'screen-call', 'screen-success', 'screen-expired']);

  function stop() {
    if (state && state.wait) { state.wait.stop(); }
  }

  // phone: the typed phone, or null to just call (the first phone that calls signs in).
  function start(phone) {
    stop();
    var buttons = [$('start'), $('just-call'), $('retry')];
    buttons.forEach(function (b) { b.disabled = true; });
    setError($('start-error'), '');
    return W.postJson('/signin/api/start', { ticket: ticket, phone: phone }).then(function (r) {
      if (!r.ok) {
        show('screen-choose');
        setError($('start-error'), W.errorText(TEXT, t, r.body, r.status));
        return;
      }
      begin(phone, r.body);
    }).catch(function () {
      show('screen-choose');
      setError($('start-error'), t('err_network'));
    }).then(function () {
      buttons.forEach(function (b) { b.disabled = false; });
    });
  }

  function begin(phone, a) {
    var attempt = { phone: phone, userPhone: a.user_phone_display, lastStatus: null };
    state = attempt;
    $('from-line').hidden = !a.user_phone_display;
    $('any-line').hidden = !!a.user_phone_display;
    $('user-phone').textContent = a.user_phone_display || '';
    W.showNumber(a);
    setError($('other-caller'), '');
    show('screen-call');
    attempt.wait = W.wait({
      events: '/signin/api/status',
      check: '/signin/api/check',
      lifetime: a.lifetime_seconds,
      secondsLeft: a.seconds_left,
      t: t,
      onStatus: function (s) { if (attempt === state) { render(s); } }
    });
  }

  function render(s) {
    state.lastStatus = s;
    var user = state.userPhone || '';
    if (s.status === 'ok') {
      show('screen-success');
      // The authorization request again, by the method it came with: with this browser's confirmed attempt it
      // answers with the app's code. A POSTed request is re-sent from the form the server filled in with its
      // parameters (a reload would ask to resend, and its URL carries none of them).
      var resume = $('resume');
      if (resume) { resume.submit(); } else { location.replace(location.href); }
      return;
    }
    if (s.status === 'expired') {
      setError($('expired-other'), s.other_caller && user ? t('otherCallerExpired', { other: s.other_caller, user: user }) : '');
      show('screen-expired');
      return;
    }
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
  $('used-note').hidden = body.getAttribute('data-used') !== 'true';
  if (body.getAttribute('data-just-call') === 'false') {
    // The app's operator turned "just call" off (it holds a number alone): typing the phone is the only way.
    $('just-call-way').hidden = true;
    $('phone-label').setAttribute('data-i18n', 'phoneOnlyLabel');
  }
  i18n.apply(i18n.current());
}());
