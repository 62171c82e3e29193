/* One input: a small map of its place, support and comments (both through the API). */
(function () {
  "use strict";
  var I = window.Innspill;

  var mapNode = document.getElementById("input-map");
  var geometry = I.readJSON("input-geometry", null);
  if (mapNode && geometry) {
    var map = I.makeMap(mapNode, { scrollWheelZoom: false });
    var layer = L.geoJSON(geometry, {
      style: { color: "#00508c", weight: 4, fillOpacity: 0.15 },
      pointToLayer: function (_feature, latlng) {
        return L.circleMarker(latlng, { radius: 9, color: "#1b1b1b", weight: 2, fillColor: "#00508c", fillOpacity: 0.9 });
      },
    }).addTo(map);
    map.fitBounds(layer.getBounds(), { maxZoom: 17, padding: [30, 30] });
  }

  var supportButton = document.getElementById("support-button");
  var supportStatus = document.getElementById("support-status");
  if (supportButton) {
    supportButton.addEventListener("click", function () {
      supportButton.disabled = true;
      I.request("POST", supportButton.dataset.url).then(function (result) {
        if (result.ok) {
          I.announce(supportStatus, I.t("supported"));
          var count = result.data && result.data.supports;
          if (count) document.getElementById("support-count").textContent = I.t("supports", { count: count });
        } else {
          supportButton.disabled = false;
          I.announce(supportStatus, I.t("supportFailed"));
        }
      });
    });
  }

  var form = document.getElementById("comment-form");
  if (!form) return;
  var token = I.formToken(form);
  var text = document.getElementById("comment-text");
  var error = document.getElementById("comment-error");
  var status = document.getElementById("comment-status");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var written = I.requiredText(text, error);
    if (!written) return;
    token
      .then(function (antibot) {
        return I.request("POST", form.dataset.url, {
          text: written,
          language: form.dataset.language,
          website: document.getElementById("comment-website").value,
          form_token: antibot.form_token,
        });
      })
      .then(function (result) {
        // Form tokens are single use: the next comment carries a fresh one.
        if (result.status) token = I.formToken(null);
        if (result.ok) {
          text.value = "";
          I.announce(status, I.t("commentSent"));
          return;
        }
        var errors = I.apiErrors(result);
        I.showFieldError(text, error, errors.length ? errors[0].message : I.t("commentFailed"));
      });
  });
})();
