/* "Vi har hørt dette før – stemmer det fortsatt?": a resident confirms, disagrees or adds.
 *
 * POST /api/v1/still-true/{check}/ {stance, text, language, website, form_token}: the same bot
 * checks as any submission (a single-use form token at least min_fill_seconds old and the
 * honeypot), no account. Confirm or disagree once per browser session; a change of mind
 * replaces it.
 */
(function () {
  "use strict";
  var I = window.Innspill;
  var section = document.getElementById("still-true");
  if (!section) return;
  var honeypot = document.getElementById("still-true-website");
  var token = I.formToken(section);
  var tokenAt = Date.now();
  var minMs = Number(section.dataset.minFillSeconds || 0) * 1000;

  function later(ms) {
    return new Promise(function (resolve) {
      window.setTimeout(resolve, ms);
    });
  }

  /* Send one answer. A token is single use: the next answer fetches a fresh one. A resident
   * who answers at once waits out the minimum fill time here instead of being refused. */
  function send(item, body) {
    var wait = Math.max(0, tokenAt + minMs + 100 - Date.now());
    return later(wait)
      .then(function () {
        return token;
      })
      .then(function (antibot) {
        body.form_token = antibot.form_token;
        body.website = honeypot ? honeypot.value : "";
        body.language = section.dataset.language;
        return I.request("POST", item.dataset.url, body);
      })
      .then(function (result) {
        token = I.formToken(null);
        tokenAt = Date.now();
        return result;
      });
  }

  function failure(result) {
    var errors = I.apiErrors(result);
    return errors.length ? errors[0].message : I.t("stillTrueFailed");
  }

  function setUp(item) {
    var status = item.querySelector("[data-status]");
    var counts = item.querySelector("[data-counts]");
    var buttons = item.querySelectorAll("button[data-stance]");
    Array.prototype.forEach.call(buttons, function (button) {
      button.addEventListener("click", function () {
        var stance = button.dataset.stance;
        Array.prototype.forEach.call(buttons, function (b) {
          b.disabled = true;
        });
        I.announce(status, I.t("stillTrueSending"));
        send(item, { stance: stance }).then(function (result) {
          Array.prototype.forEach.call(buttons, function (b) {
            b.disabled = false;
          });
          if (!result.ok) {
            I.announce(status, failure(result));
            return;
          }
          Array.prototype.forEach.call(buttons, function (b) {
            b.setAttribute("aria-pressed", b === button ? "true" : "false");
          });
          counts.textContent = I.t("stillTrueCounts", {
            yes: result.data.confirmations,
            no: result.data.disagreements,
          });
          I.announce(status, I.t(stance === "confirm" ? "stillTrueConfirmed" : "stillTrueDisagreed"));
        });
      });
    });

    var form = item.querySelector("form[data-add]");
    var text = form.querySelector("textarea");
    var error = form.querySelector(".field-error");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var written = I.requiredText(text, error);
      if (!written) return;
      var submit = form.querySelector("button[type=submit]");
      submit.disabled = true;
      I.announce(status, I.t("stillTrueSending"));
      send(item, { stance: "add", text: written }).then(function (result) {
        submit.disabled = false;
        if (result.ok) {
          text.value = "";
          I.announce(status, I.t("stillTrueAdded"));
          return;
        }
        I.showFieldError(text, error, failure(result));
      });
    });
  }

  Array.prototype.forEach.call(section.querySelectorAll(".still-true-item"), setUp);
})();
