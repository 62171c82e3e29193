/* The give-input form: place, themes, text, photo, contact; sent to POST /api/v1/inputs/.
 *
 * Errors are shown the same way whether this script or the API found them: a summary at the
 * top (focused, with links to the fields) and a message at each field. On success the form is
 * replaced by a receipt with the reference, and focus moves to it.
 */
(function () {
  "use strict";
  var I = window.Innspill;
  var form = document.getElementById("input-form");
  if (!form) return;

  var MAX_PHOTO_BYTES = 10 * 1024 * 1024;
  var startedAt = Date.now();
  var antibot = { form_token: "", min_fill_seconds: Number(form.dataset.minFillSeconds || 0) };
  I.formToken(form).then(function (data) {
    antibot = data;
  });
  var $ = function (id) {
    return document.getElementById(id);
  };

  // ---- The map and the place --------------------------------------------------------------
  var mapNode = $("give-map");
  var map = I.makeMap(mapNode);
  // The keyboard zooms with + and − on the map itself (the hint says so), so Leaflet's zoom
  // buttons stay for the mouse but leave the tab order: the path from the map to the text
  // field stays under 15 Tab presses with the place search beside the map
  // (docs/resident-map.md).
  mapNode.querySelectorAll(".leaflet-control-zoom a").forEach(function (button) {
    button.setAttribute("tabindex", "-1");
  });
  var placeStatus = $("place-status");
  map.on("tilesfailed", function () {
    I.announce(placeStatus, I.t("tilesFailed"));
  });
  I.readJSON("process-data", []).forEach(function (process) {
    if (!process.geometry) return;
    L.geoJSON(process.geometry, {
      interactive: false,
      style: { color: "#00508c", weight: 2, fillOpacity: 0.04, dashArray: "6 4" },
    }).addTo(map);
  });

  var prior = new window.InnspillPrior.Prior({
    section: $("prior"),
    list: $("prior-list"),
    count: $("prior-count"),
    more: $("prior-more"),
    status: $("prior-status"),
    similarList: $("similar-list"),
    similarHeading: $("similar-heading"),
    priorUrl: form.dataset.priorUrl,
    inputsUrl: form.dataset.inputsUrl,
    onProcesses: suggestProcess,
  });

  /* A place inside exactly one open consultation: choose it, unless the resident already
   * chose (the answer to prior input lists the processes whose area the place touches). */
  function suggestProcess(processes) {
    var select = $("process");
    if (select.value) return;
    var open = processes.filter(function (process) {
      return process.slug && select.querySelector('option[value="' + CSS.escape(process.slug) + '"]');
    });
    if (open.length !== 1) return;
    select.value = open[0].slug;
    I.announce($("process-status"), I.t("processChosen", { title: open[0].title }));
  }

  var picker = new window.InnspillPlace.PlacePicker({
    map: map,
    wrap: $("give-map-wrap"),
    status: placeStatus,
    buttons: {
      placeAtCross: $("place-at-cross"),
      addAtCross: $("add-at-cross"),
      undo: $("undo-point"),
      finish: $("finish-drawing"),
      clear: $("clear-place"),
    },
    onChange: function (place) {
      clearError("place");
      prior.near(place && place.geometry);
    },
  });

  var helps = { point: $("map-help-point"), line: $("map-help-line"), area: $("map-help-area") };
  form.querySelectorAll("input[name=place_mode]").forEach(function (radio) {
    radio.addEventListener("change", function () {
      var mode = radio.value;
      picker.setMode(mode);
      $("place-tools").hidden = mode === "none";
      $("place-search-box").hidden = mode === "none";
      Object.keys(helps).forEach(function (key) {
        helps[key].hidden = key !== mode;
      });
      if (helps[mode]) mapNode.setAttribute("aria-describedby", helps[mode].id);
      if (mode !== "none") map.invalidateSize();
    });
  });

  // A place found by the search. An address or property is a spot: the pin goes there. A place
  // name (an island, a village) is an area: the map goes there and marks the name, and the
  // resident puts the pin where it is about.
  var foundMark = null;
  I.onPlaceChosen("give-map", function (place) {
    if (foundMark) map.removeLayer(foundMark);
    foundMark = null;
    if (place.kind === "place") {
      foundMark = L.circleMarker([place.lat, place.lon], {
        radius: 9,
        color: "#00508c",
        weight: 3,
        fillOpacity: 0.1,
        interactive: false,
        pmIgnore: true,
      })
        .bindTooltip(I.el("span", { text: place.label }), { permanent: true, direction: "top" })
        .addTo(map);
      map.setView([place.lat, place.lon], 15);
      return;
    }
    map.setView([place.lat, place.lon], 18);
    if (picker.mode === "point") {
      picker.setPin(
        L.latLng(place.lat, place.lon),
        place.kind === "property" ? "property" : "address",
        place.address || place.label
      );
    }
  });

  if (form.dataset.at) {
    var at = form.dataset.at.split(",").map(Number);
    map.setView([at[1], at[0]], 18);
    picker.setPin(L.latLng(at[1], at[0]), "address", form.dataset.atLabel || "");
  }

  // ---- Text: characters left, similar input ------------------------------------------------
  var text = $("input-text");
  var counter = $("input-text-count");
  var maxLength = Number(text.getAttribute("maxlength"));
  var similarTimer = null;
  function updateCounter() {
    counter.textContent = I.t("charactersLeft", { count: maxLength - text.value.length });
  }
  text.addEventListener("input", function () {
    updateCounter();
    window.clearTimeout(similarTimer);
    similarTimer = window.setTimeout(function () {
      prior.similar(text.value);
    }, 800);
  });
  updateCounter();

  // ---- Errors ----------------------------------------------------------------------------
  var summary = $("error-summary");
  var errorList = $("error-list");
  // Field name (ours or the API's) -> the element to link to and its error message node.
  var FIELDS = {
    place: { focus: "mode-point", error: "place-error", box: "place-fieldset" },
    geometry: { focus: "mode-point", error: "place-error", box: "place-fieldset" },
    text: { focus: "input-text", error: "input-text-error" },
    photo: { focus: "photo", error: "photo-error" },
    email: { focus: "contact-email", error: "contact-email-error" },
    contact: { focus: "contact-email", error: "contact-email-error" },
    wants_feedback: { focus: "wants-feedback", error: "wants-feedback-error" },
  };

  function fieldFor(name) {
    var key = (name || "").split(".").pop();
    if (FIELDS[key]) return FIELDS[key];
    if (/geometry|location/.test(name || "")) return FIELDS.geometry;
    if (/contributor/.test(name || "")) return FIELDS.contact;
    return null;
  }

  function clearError(name) {
    var field = FIELDS[name];
    if (!field) return;
    var node = $(field.error);
    node.hidden = true;
    node.textContent = "";
    var target = $(field.box || field.focus);
    if (target) target.removeAttribute("aria-invalid");
  }

  function clearErrors() {
    Object.keys(FIELDS).forEach(clearError);
    errorList.textContent = "";
    summary.hidden = true;
  }

  function showErrors(errors) {
    clearErrors();
    errors.forEach(function (error) {
      var field = fieldFor(error.field);
      var link;
      if (field) {
        var node = $(field.error);
        node.textContent = error.message;
        node.hidden = false;
        $(field.box || field.focus).setAttribute("aria-invalid", "true");
        link = I.el("a", { href: "#" + field.focus, text: error.message });
        link.addEventListener("click", function (event) {
          event.preventDefault();
          $(field.focus).focus();
        });
      }
      errorList.appendChild(I.el("li", null, link || error.message));
    });
    summary.hidden = false;
    summary.focus();
  }

  // ---- Checking before sending ------------------------------------------------------------
  function checked(name) {
    return Array.prototype.map.call(
      form.querySelectorAll("input[name=" + name + "]:checked"),
      function (box) {
        return box.value;
      }
    );
  }

  function validate() {
    var errors = [];
    var place = picker.place;
    if (!place || (place.source !== "none" && !place.geometry)) {
      errors.push({ field: "place", message: I.t("needPlace") });
    }
    if (!text.value.trim()) errors.push({ field: "text", message: I.t("needText") });
    else if (text.value.length > maxLength) errors.push({ field: "text", message: I.t("textTooLong") });
    var email = $("contact-email").value.trim();
    if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
      errors.push({ field: "email", message: I.t("badEmail") });
    }
    if ($("wants-feedback").checked && !email && !$("contact-phone").value.trim()) {
      errors.push({ field: "wants_feedback", message: I.t("needContact") });
    }
    var photo = $("photo").files[0];
    if (photo) {
      if (!/^image\/(jpeg|png)$/.test(photo.type)) errors.push({ field: "photo", message: I.t("photoType") });
      else if (photo.size > MAX_PHOTO_BYTES) errors.push({ field: "photo", message: I.t("photoTooBig") });
    }
    return errors;
  }

  // ---- Sending ----------------------------------------------------------------------------
  function contributor() {
    var data = {
      name: $("contact-name").value.trim(),
      email: $("contact-email").value.trim(),
      phone: $("contact-phone").value.trim(),
      wants_feedback: $("wants-feedback").checked,
      consent: $("consent-name").checked,
      preferred_language: $("feedback-language").value,
    };
    return data.name || data.email || data.phone ? data : null;
  }

  /* The body of POST /api/v1/inputs/ (docs/api.md): only fields the API knows. */
  function feature() {
    var place = picker.place;
    var properties = {
      text: text.value.trim(),
      themes: checked("themes"),
      language: form.dataset.language,
      website: $("website").value,
      form_token: antibot.form_token,
    };
    if ($("process").value) properties.process = $("process").value;
    if (place.geometry) {
      properties.location_source = place.source;
      if (place.description) properties.location_description = place.description;
      // "This is where I live": the public sees the place only generalised (docs/privacy.md).
      if ($("at-home").checked) properties.location_is_home = true;
    }
    var age = form.querySelector("input[name=age_group]:checked");
    if (age) properties.age_group = age.value;
    var person = contributor();
    if (person) properties.contributor = person;
    return { type: "Feature", geometry: place.geometry, properties: properties };
  }

  /* The photo follows the input (the API takes JSON only): POST /give/photo/ with the new
   * input's id. Resolves to "" when there was no photo or it was stored, else a message. */
  function sendPhoto(inputId) {
    var photo = $("photo").files[0];
    if (!photo || !inputId) return Promise.resolve("");
    var data = new FormData();
    data.append("input", inputId);
    data.append("photo", photo);
    return I.request("POST", form.dataset.photoUrl, data).then(function (result) {
      if (result.ok) return "";
      var errors = I.apiErrors(result);
      return I.t("photoFailed") + (errors.length ? " (" + errors[0].message + ")" : "");
    });
  }

  function showReceipt(data, feedback, emailed) {
    // The short reference ("MOSS-2026-0142") links to the page where it can be followed.
    var reference = $("receipt-reference");
    reference.textContent = data.reference || data.id || "";
    if (data.status_url) reference.href = data.status_url;
    $("receipt-follow").hidden = !data.status_url;
    $("receipt-emailed").hidden = !emailed;
    $("receipt-feedback").hidden = !feedback;
    form.hidden = true;
    $("prior").hidden = true;
    summary.hidden = true;
    $("receipt").hidden = false;
    $("receipt-heading").focus();
  }

  var sending = false;
  // One key per submission: kept when the answer was lost (retry = same submission), renewed
  // once the server has answered.
  var submissionKey = null;
  var submitStatus = $("submit-status");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (sending) return;
    var errors = validate();
    if (errors.length) {
      showErrors(errors);
      return;
    }
    clearErrors();
    var minFill = Number(antibot.min_fill_seconds || 0) * 1000;
    if (Date.now() - startedAt < minFill) {
      I.announce(submitStatus, I.t("tooFast"));
      return;
    }
    sending = true;
    $("submit-input").disabled = true;
    I.announce(submitStatus, I.t("sending"));
    var body = feature();
    var wantsFeedback = !!(body.properties.contributor && body.properties.contributor.wants_feedback);
    var emailed = !!(body.properties.contributor && body.properties.contributor.email);
    submissionKey = submissionKey || I.idempotencyKey();
    var headers = { "Idempotency-Key": submissionKey };
    I.request("POST", form.dataset.submitUrl, body, headers).then(function (result) {
      sending = false;
      $("submit-input").disabled = false;
      if (result.status && result.status < 500) {
        submissionKey = null;
      }
      if (result.ok) {
        submitStatus.textContent = "";
        var data = result.data || {};
        sendPhoto(data.id).then(function (photoError) {
          showReceipt(data, wantsFeedback, emailed);
          if (photoError) {
            $("receipt-photo").textContent = photoError;
            $("receipt-photo").hidden = false;
          }
        });
        return;
      }
      // A form token is single use: the server may have spent this one, so the next attempt
      // carries a fresh one.
      if (result.status) {
        I.formToken(null).then(function (data) {
          antibot = data;
        });
      }
      var apiErrors = I.apiErrors(result);
      if (apiErrors.length) showErrors(apiErrors);
      else I.announce(submitStatus, I.t("sendFailed"));
    });
  });

  window.innspillGiveMap = map; // for the browser tests and for debugging
})();
