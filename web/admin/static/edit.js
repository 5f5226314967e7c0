/* The edit page: the live preview of the answer, and "show line …" buttons that put the cursor where
 * a problem is. Everything here is an extra: the page works without it. */
(function () {
  "use strict";

  var KEEP_ALIVE_MS = 5 * 60 * 1000;

  function offsetOf(text, line, column) {
    var lines = text.split("\n");
    var offset = 0;
    for (var i = 0; i < Math.min(line - 1, lines.length); i++) { offset += lines[i].length + 1; }
    return Math.min(offset + Math.max(column - 1, 0), text.length);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var answer = document.getElementById("field-answer");
    var preview = document.getElementById("preview");
    var issues = document.getElementById("preview-issues");
    var services = preview ? window.TelegramPreview.services()[preview.getAttribute("data-services")] : {};

    function update() {
      var found = window.TelegramPreview.render(answer.value, preview, services);
      if (found.length) {
        issues.textContent = "Telegram would refuse this: " + found.join("; ") + ".";
        issues.hidden = false;
      } else {
        issues.textContent = "";
        issues.hidden = true;
      }
    }
    if (answer && preview) {
      answer.addEventListener("input", update);
      update();
    }

    var buttons = document.querySelectorAll(".js-goto");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].hidden = false;
      buttons[i].addEventListener("click", function (event) {
        var button = event.currentTarget;
        var field = document.getElementById("field-" + button.getAttribute("data-field"));
        if (!field) { return; }
        var start = offsetOf(field.value, Number(button.getAttribute("data-line")), Number(button.getAttribute("data-column")));
        field.focus();
        field.setSelectionRange(start, Math.min(start + 1, field.value.length));
      });
    }

    // Typing sends nothing to the server, so a long translation could outlast the 30 minutes a
    // sign-in stays unused, and its Save would meet the sign-in page and lose the text. While the
    // editor keeps typing, the page says so every few minutes; if the sign-in has ended anyway
    // (a closed laptop), it says so before they press Save.
    var form = document.querySelector(".edit-form");
    var lost = document.getElementById("session-lost");
    if (form && window.fetch) {
      var typed = false;
      form.addEventListener("input", function () { typed = true; });
      window.setInterval(function () {
        if (!typed) { return; }
        typed = false;
        window.fetch("/admin/keep-alive", { credentials: "same-origin", cache: "no-store" }).then(function (response) {
          if (lost) { lost.hidden = response.status !== 401; }
        }).catch(function () { /* offline for a moment: the next round tries again */ });
      }, KEEP_ALIVE_MS);
    }

    var errors = document.getElementById("errors");
    if (errors) { errors.focus(); }
  });
}());
