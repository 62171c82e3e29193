/* Shared helpers for every page with a script, public and staff: DOM building, translated
 * strings, API calls, and the one map set-up. How an input is shown (its themes, its answer,
 * its summary) is input-display.js, loaded after this file and map-context.js.
 *
 * Rules kept here so every page follows them:
 *  - user data only ever reaches the page through textContent / DOM nodes, never innerHTML;
 *  - data comes from json_script blocks and data- attributes (the CSP forbids inline scripts);
 *  - every write goes to the REST API (/api/v1/), which calls the services.
 */
(function () {
  "use strict";

  function readJSON(id, fallback) {
    var node = document.getElementById(id);
    if (!node) return fallback;
    try {
      return JSON.parse(node.textContent);
    } catch (e) {
      return fallback;
    }
  }

  var strings = readJSON("strings-data", {});

  /* Translated interface string with %(name)s placeholders filled in. */
  function t(key, params) {
    var text = strings[key] || key;
    if (params) {
      text = text.replace(/%\((\w+)\)s/g, function (_m, name) {
        return name in params ? String(params[name]) : "";
      });
    }
    return text;
  }

  /* A counted string: strings[key] holds the plural forms, strings._plural the language's rule
   * as a table of form indexes for 0..199 (maps/strings.py); %(count)s is filled with n. */
  function tn(key, n, params) {
    var forms = strings[key];
    if (!Array.isArray(forms)) return t(key, Object.assign({ count: n }, params || {}));
    var rule = strings._plural || [];
    var index = rule.length ? rule[n < 200 ? n : 100 + (n % 100)] : (n === 1 ? 0 : 1);
    var text = forms[Math.min(index || 0, forms.length - 1)];
    var all = Object.assign({ count: n }, params || {});
    return text.replace(/%\((\w+)\)s/g, function (_m, name) {
      return name in all ? String(all[name]) : "";
    });
  }

  /* Build an element; children are nodes or strings (always inserted as text). */
  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (name) {
        var value = attrs[name];
        if (value === null || value === undefined || value === false) return;
        if (name === "text") node.textContent = value;
        else if (name === "className") node.className = value;
        else if (name.slice(0, 2) === "on" && typeof value === "function") {
          node.addEventListener(name.slice(2), value);
        } else node.setAttribute(name, value === true ? "" : String(value));
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined || child === false) continue;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  /* Put a message in a live region; clearing first makes screen readers repeat equal texts. */
  function announce(region, text) {
    if (!region) return;
    region.textContent = "";
    window.setTimeout(function () {
      region.textContent = text;
    }, 50);
  }

  function csrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (field) return field.value;
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  /* fetch() wrapper: resolves to {ok, status, data}; never throws on HTTP errors. */
  function request(method, url, body, extraHeaders) {
    var options = {
      method: method,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    };
    Object.keys(extraHeaders || {}).forEach(function (name) {
      options.headers[name] = extraHeaders[name];
    });
    if (method !== "GET") options.headers["X-CSRFToken"] = csrfToken();
    if (body !== undefined) {
      if (body instanceof FormData) {
        options.body = body;
      } else {
        options.headers["Content-Type"] = "application/json";
        options.body = JSON.stringify(body);
      }
    }
    return fetch(url, options).then(
      function (response) {
        return response
          .json()
          .catch(function () {
            return null;
          })
          .then(function (data) {
            return { ok: response.ok, status: response.status, data: data };
          });
      },
      function () {
        return { ok: false, status: 0, data: null };
      }
    );
  }

  /* The API's error body is {"errors": [{"field", "message"}]}: return it as a list. */
  function apiErrors(result) {
    if (result && result.data && Array.isArray(result.data.errors)) return result.data.errors;
    return [];
  }

  /* The anti-bot token every anonymous write carries: the one the page was rendered with
   * (data-form-token), else a fresh one from GET /api/v1/form-token/. Its age is the "minimum
   * fill time" the API checks. */
  function formToken(form) {
    if (form && form.dataset.formToken) {
      return Promise.resolve({
        form_token: form.dataset.formToken,
        min_fill_seconds: Number(form.dataset.minFillSeconds || 0),
      });
    }
    return request("GET", "/api/v1/form-token/").then(function (result) {
      return result.ok && result.data ? result.data : { form_token: "", min_fill_seconds: 0 };
    });
  }

  /* A fresh random key for one submission (Idempotency-Key): a retry after a lost answer
   * sends the same key and gets the first answer instead of storing the input twice. */
  function idempotencyKey() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (b) {
        return ("0" + b.toString(16)).slice(-2);
      })
      .join("");
  }

  /* ---- Maps ------------------------------------------------------------------------------ */

  function numbers(text) {
    return (text || "").split(",").map(Number);
  }

  var MIN_ZOOM = 10;
  var MAX_ZOOM = 19;
  // After this many tiles fail (offline, blocked, the host is down) the basemap is dropped.
  var TILE_FAILURES = 4;
  // On the map page the basemap starts once the inputs are drawn, or after this long at the
  // latest: its ~20 tile requests and images made the first drawing of 10 000 inputs ~40 ms
  // slower (B8, docs/resident-map.md); the inputs are what the page is for.
  var BASEMAP_WAIT_MS = 500;

  /* [[south, west], [north, east]] from "west,south,east,north" (lon/lat), or null. */
  function boundsOf(text) {
    var v = numbers(text);
    return v.length === 4 && !v.some(isNaN) ? [[v[1], v[0]], [v[3], v[2]]] : null;
  }

  /* The one set-up every map of the site gets, ours or folium's (maps/builders.py calls it at
   * the end of its script). Its container carries {% basemap_attrs %}: data-tile-url and
   * data-tile-attribution (the configured basemap and whom to credit), data-bounds (where to
   * open: Moss; the staff maps open on data-centre at data-zoom), data-max-bounds (how far one
   * may pan), data-scale (a scale bar).
   * Without tiles (no URL, offline, blocked) the map shows Moss from a small local dataset,
   * says so on the map, and fires "tilesfailed", so the page can announce it; everything on
   * the map still works. */
  function setUpMap(map) {
    var container = map.getContainer();
    var data = container.dataset;
    if (map.attributionControl) map.attributionControl.setPrefix("Leaflet");
    // Leaflet's zoom buttons carry English titles ("Zoom in"): give them the page's language.
    var tools = strings.mapTools || {};
    if (map.zoomControl && tools.zoom) {
      var position = map.zoomControl.getPosition();
      map.removeControl(map.zoomControl);
      map.zoomControl = L.control.zoom(Object.assign({ position: position }, tools.zoom)).addTo(map);
    }
    // Leaflet-Geoman's buttons, tooltips and actions, in the page's language.
    if (map.pm && tools.buttonTitles) {
      map.pm.setLang("innspill", { tooltips: tools.tooltips, actions: tools.actions, buttonTitles: tools.buttonTitles }, "en");
    }
    var maxBounds = boundsOf(data.maxBounds);
    if (maxBounds) map.setMaxBounds(maxBounds);
    // makeMap sets these already; folium's maps come without them.
    if (map.options.minZoom === undefined) map.setMinZoom(MIN_ZOOM);
    if (map.options.maxZoom === undefined) map.setMaxZoom(MAX_ZOOM);
    if (data.scale !== undefined) L.control.scale({ imperial: false }).addTo(map);
    // Moss' boundary and the process areas (staff maps): context for a drawing even without a
    // basemap. Styled as context, not data (thin, dashed, unfilled, the same on every staff
    // map: CONTEXT_STYLES); not interactive, below everything drawn on the map.
    // Those and the local background live in map-context.js, loaded right after this file.
    var context = window.Innspill.mapContext;
    context.contextLayer(map, data.boundaryUrl, context.CONTEXT_STYLES.boundary);
    context.contextLayer(map, data.processAreasUrl, context.CONTEXT_STYLES.processAreas);
    var url = data.tileUrl;
    if (url) {
      var failures = 0;
      var warned = false;
      var tiles = L.tileLayer(url, { maxZoom: MAX_ZOOM, attribution: data.tileAttribution || "" });
      tiles.on("tileerror", function () {
        failures += 1;
        if (failures >= TILE_FAILURES && !warned) {
          warned = true;
          map.removeLayer(tiles);
          context.showLocalBackground(map);
          map.fire("tilesfailed");
        }
      });
      context.afterPageData(map, function () {
        tiles.addTo(map);
      }, BASEMAP_WAIT_MS);
    } else {
      context.showLocalBackground(map);
    }
    return map;
  }

  /* A Leaflet map on a container with {% basemap_attrs %}, opened on data-centre at data-zoom
   * (the staff maps) or else on data-bounds. */
  function makeMap(container, options) {
    var map = L.map(
      container,
      Object.assign(
        {
          zoomSnap: 1,
          minZoom: MIN_ZOOM,
          maxZoom: MAX_ZOOM,
          preferCanvas: true,
          maxBounds: boundsOf(container.dataset.maxBounds),
        },
        options || {}
      )
    );
    var centre = numbers(container.dataset.centre);
    var bounds = boundsOf(container.dataset.bounds);
    if (centre.length === 2) map.setView([centre[1], centre[0]], Number(container.dataset.zoom));
    else if (bounds) map.fitBounds(bounds);
    return setUpMap(map);
  }

  /* Show all of a layer (a GeoJSON layer or a feature group), if it has anything to show. */
  function fitLayer(map, layer, maxZoom) {
    var bounds = layer.getBounds && layer.getBounds();
    if (bounds && bounds.isValid()) map.fitBounds(bounds, { padding: [20, 20], maxZoom: maxZoom || 17 });
  }

  /* Representative [lat, lng] of a GeoJSON geometry: the point, or the middle of its vertices. */
  function geometryAnchor(geometry) {
    if (!geometry) return null;
    if (geometry.type === "Point") return [geometry.coordinates[1], geometry.coordinates[0]];
    var sumX = 0;
    var sumY = 0;
    var count = 0;
    (function walk(coords) {
      if (typeof coords[0] === "number") {
        sumX += coords[0];
        sumY += coords[1];
        count += 1;
        return;
      }
      coords.forEach(walk);
    })(geometry.coordinates || []);
    return count ? [sumY / count, sumX / count] : null;
  }

  /* A number on the map with a spoken name ("12 inputs here. Select to zoom in."). */
  var CountIcon = L.DivIcon.extend({
    createIcon: function (old) {
      var div = L.DivIcon.prototype.createIcon.call(this, old);
      div.setAttribute("aria-label", this.options.label);
      div.setAttribute("title", this.options.label);
      return div;
    },
  });

  /* At most 56 px wide, so numbers on a 64 px grid never cover each other: 38 236 is "38k"
   * on the map; the spoken name has the whole number. */
  function countIcon(count) {
    var size = count < 10 ? 34 : count < 100 ? 40 : count < 1000 ? 48 : 56;
    var shown = count < 10000 ? String(Number(count)) : Math.floor(count / 1000) + "k";
    return new CountIcon({
      html: "<span>" + shown + "</span>",
      className: "cluster-icon",
      iconSize: [size, size],
      label: t("cluster", { count: count }),
    });
  }

  /* A text box's error line (a .field-error next to it): show message, mark the box invalid and
   * put the keyboard on it. */
  function showFieldError(field, error, message) {
    error.textContent = message;
    error.hidden = false;
    field.setAttribute("aria-invalid", "true");
    field.focus();
  }

  /* The "text required" check of a resident's text box: clears an earlier error; returns the
   * trimmed text, or null (and says "write something") when there is none. */
  function requiredText(field, error) {
    error.hidden = true;
    field.removeAttribute("aria-invalid");
    var value = field.value.trim();
    if (!value) showFieldError(field, error, t("needText"));
    return value || null;
  }

  /* Results of the place search (place-search.js) are shared through this event. */
  function onPlaceChosen(target, handler) {
    document.addEventListener("innspill:place", function (event) {
      if (event.detail && event.detail.target === target) handler(event.detail.place);
    });
  }

  window.Innspill = {
    announce: announce,
    apiErrors: apiErrors,
    countIcon: countIcon,
    el: el,
    formToken: formToken,
    idempotencyKey: idempotencyKey,
    geometryAnchor: geometryAnchor,
    fitLayer: fitLayer,
    makeMap: makeMap,
    onPlaceChosen: onPlaceChosen,
    readJSON: readJSON,
    request: request,
    requiredText: requiredText,
    setUpMap: setUpMap,
    showFieldError: showFieldError,
    t: t,
    tn: tn,
  };
})();
