// Console pages: asks before destructive forms (data-confirm), opens the menu on a phone, copies secrets.
(function () {
  'use strict';
  document.querySelectorAll('form[data-confirm]').forEach(function (form) {
    form.addEventListener('submit', function (e) {
      if (!window.confirm(form.getAttribute('data-confirm'))) { e.preventDefault(); }
    });
  });

  var toggle = document.getElementById('menu-toggle');
  if (toggle) {
    toggle.hidden = false;
    toggle.addEventListener('click', function () {
      var open = toggle.closest('.topbar').classList.toggle('open');
      toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
    });
  }

  document.querySelectorAll('button[data-copy]').forEach(function (button) {
    var source = document.getElementById(button.getAttribute('data-copy'));
    if (!source) { return; }
    var label = button.textContent;
    function copied() {
      button.textContent = button.getAttribute('data-copied');
      setTimeout(function () { button.textContent = label; }, 2000);
    }
    button.hidden = false;
    button.addEventListener('click', function () {
      var text = source.textContent.trim();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(copied);
        return;
      }
      // Plain HTTP to another host has no clipboard API: select the text and copy the old way.
      var range = document.createRange();
      range.selectNodeContents(source);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      if (document.execCommand('copy')) { copied(); }
    });
  });
}());
