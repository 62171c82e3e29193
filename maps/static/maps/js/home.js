/* The participation map at /: open consultation areas and the published input in view.
 *
 * Only what is in view is loaded, so the page stays quick with a million inputs in the bank
 * (docs/resident-map.md):
 *  1. GET /api/v1/inputs/grid/?bbox=<view>&zoom=<z> counts the inputs in view, per place;
 *  2. up to data-aggregate-above inputs: GET /api/v1/inputs/?bbox=<view>&properties=themes
 *     &geometry=anchor (at most data-points-max, newest first) draws each input as a circle
 *     on one canvas; with few inputs from zoom 15 the geometries come too and lines and areas
 *     are drawn as shapes; a popup loads its input when it opens;
 *  3. more than that: one number per place (a focusable button; Enter zooms in).
 * Moving the map loads again after a short pause; a newer view aborts older requests. Points
 * are drawn in slices so no task blocks the page; then performance.mark("inputs-drawn").
 */
(function () {
  "use strict";
  var I = window.Innspill;
  var container = document.getElementById("overview-map");
  if (!container) return;

  var SHAPES_FROM_ZOOM = 15;
  // Lines and areas get their shapes only in views with few inputs: a thousand overlapping
  // areas cannot be read, and each costs far more to draw than a dot. Dense views get small dots.
  var FEW = 2000;
  var DEBOUNCE_MS = 250;
  // Work per task while drawing: big enough that 10 000 circles take few tasks (each task and
  // the garbage collection after it cost time), small enough that a tap is answered at once.
  var SLICE_MS = 40;
  var ZOOM_IN_STEPS = 2; // a number opens two zoom levels closer: its place fills ~4 cells
  var pointsMax = Number(container.dataset.pointsMax) || 10000;
  var aggregateAbove = Number(container.dataset.aggregateAbove) || 25000;
  var inputsUrl = container.dataset.inputsUrl;
  var gridUrl = container.dataset.gridUrl;
  var status = document.getElementById("map-status");
  var map = I.makeMap(container);
  map.on("tilesfailed", function () {
    I.announce(status, I.t("tilesFailed"));
  });

  // Open consultations: their areas, each with its title and a link.
  var processes = I.readJSON("process-data", []);
  var processLayer = L.layerGroup().addTo(map);
  processes.forEach(function (process) {
    if (!process.geometry) return;
    L.geoJSON(process.geometry, {
      interactive: true,
      style: { color: "#00508c", weight: 3, fillColor: "#00508c", fillOpacity: 0.06 },
    })
      .bindPopup(function () {
        return I.el(
          "div",
          { className: "popup", dir: "auto" },
          I.el("h3", { text: process.title }),
          I.el("p", null, I.el("a", { href: process.url, text: I.t("readMore") }))
        );
      })
      .addTo(processLayer);
  });

  // ---- What is drawn -----------------------------------------------------------------------

  /* A canvas that can hold its redraws while thousands of circles are added in slices, and then
   * draw them all in one frame: otherwise every frame between slices redraws everything added
   * so far, and one redraw of 10 000 circles costs as much as making them. Uses Leaflet 1.9's
   * internal _requestRedraw/_redraw: re-check them when upgrading Leaflet. */
  var HeldCanvas = L.Canvas.extend({
    hold: function () {
      this._held = true;
    },
    release: function () {
      if (!this._held) return;
      this._held = false;
      this._redrawBounds = null; // null: clear and draw the whole canvas
      if (this._map && !this._redrawRequest) {
        this._redrawRequest = L.Util.requestAnimFrame(this._redraw, this);
      }
    },
    _requestRedraw: function (layer) {
      if (!this._held) L.Canvas.prototype._requestRedraw.call(this, layer);
    },
  });
  var renderer = new HeldCanvas();
  // One canvas circle per input. A plain layer group: a feature group would make itself the
  // event parent of every circle (~25 ms for 10 000); each circle gets the one click handler.
  var pointLayer = L.layerGroup().addTo(map);
  var popup = L.popup(); // one popup, shared: 10 000 circles need no popup of their own
  var shapeLayer = L.layerGroup().addTo(map); // lines and areas, zoomed in
  var cellLayer = L.layerGroup().addTo(map); // numbers per place, zoomed out
  var items = []; // the inputs drawn as points: {id, geometry, colour, marker, shape}
  var shown = null; // {bounds, themes, mode, complete} of the drawn view
  var loading = null; // AbortController of the load in progress
  var said = "";

  function say(text) {
    if (text === said) return; // moving the map must not repeat the same sentence
    said = text;
    I.announce(status, text);
  }

  function clearDrawn() {
    pointLayer.clearLayers();
    shapeLayer.clearLayers();
    cellLayer.clearLayers();
    items = [];
  }

  function nextTask(callback) {
    // A message is a new task at once; setTimeout(0) may wait 4 ms after a few nested calls.
    var channel = new MessageChannel();
    channel.port1.onmessage = callback;
    channel.port2.postMessage(null);
  }

  function aborted() {
    var error = new Error("aborted");
    error.name = "AbortError";
    return error;
  }

  /* Open the shared popup on an input: the input itself is fetched the first time (the map's
   * request carries only what drawing needs), and kept. */
  function openPopup(item) {
    if (!item.popup) {
      var box = (item.popup = I.el("div", null, I.el("p", { text: I.t("loading") })));
      I.request("GET", inputsUrl + encodeURIComponent(item.id) + "/").then(function (result) {
        box.textContent = "";
        if (result.ok && result.data) box.appendChild(I.inputSummary(I.inputInfo(result.data)));
        else {
          box.appendChild(I.el("p", { text: I.t("inputLoadFailed") }));
          item.popup = null; // try again next time
        }
        if (popup.isOpen()) popup.update();
      });
    }
    popup.setLatLng(item.marker.getLatLng()).setContent(item.popup).openOn(map);
  }
  function onPointClick() {
    openPopup(this.item);
  }

  function itemFor(feature, radius) {
    var anchor = I.geometryAnchor(feature.geometry);
    if (!anchor) return null;
    var props = feature.properties || {};
    var item = {
      id: feature.id,
      geometry: feature.geometry.type === "Point" ? null : feature.geometry,
      colour: I.themeColour(props.themes || []),
      marker: null,
      shape: null,
      popup: null,
    };
    item.marker = L.circleMarker(anchor, {
      renderer: renderer,
      radius: radius,
      color: "#1b1b1b",
      weight: radius > 4 ? 1.5 : 1,
      fillColor: item.colour,
      fillOpacity: 0.95,
    });
    item.marker.item = item;
    item.marker.on("click", onPointClick);
    return item;
  }

  /* Put the inputs on the map in slices of SLICE_MS with the canvas held, then draw it once.
   * Resolves with the number drawn. */
  function drawPoints(features, signal) {
    renderer.hold();
    clearDrawn();
    var few = features.length <= FEW;
    var withShapes = few && map.getZoom() >= SHAPES_FROM_ZOOM;
    var radius = few ? 6 : 4;
    var near = map.getBounds().pad(0.5);
    return new Promise(function (resolve, reject) {
      var i = 0;
      function slice() {
        if (signal.aborted) {
          renderer.release();
          return reject(aborted());
        }
        var until = performance.now() + SLICE_MS;
        while (i < features.length) {
          var item = itemFor(features[i++], radius);
          if (item) {
            items.push(item);
            pointLayer.addLayer(item.marker);
            if (withShapes) addShape(item, near);
          }
          if ((i & 127) === 0 && performance.now() > until) break;
        }
        if (i < features.length) return nextTask(slice);
        renderer.release();
        resolve(items.length);
      }
      slice();
    });
  }

  /* A line or area as its shape too (zoomed in), if it is near the view. */
  function addShape(item, near) {
    if (!item.geometry || !near.contains(item.marker.getLatLng())) return;
    if (!item.shape) {
      // The bare line or polygon, without a GeoJSON layer group around each one.
      item.shape = L.GeoJSON.geometryToLayer(item.geometry, {
        renderer: renderer,
        color: item.colour,
        weight: 4,
        fillOpacity: 0.15,
        interactive: false,
      });
    }
    shapeLayer.addLayer(item.shape);
  }

  function inView(bounds) {
    var count = 0;
    items.forEach(function (item) {
      if (bounds.contains(item.marker.getLatLng())) count += 1;
    });
    return count;
  }

  /* After zooming within a view that is loaded whole: shapes from SHAPES_FROM_ZOOM only, and
   * only when the view holds few inputs. */
  function drawShapes() {
    renderer.hold();
    shapeLayer.clearLayers();
    var view = map.getBounds();
    if (map.getZoom() >= SHAPES_FROM_ZOOM && inView(view) <= FEW) {
      var near = view.pad(0.5);
      items.forEach(function (item) {
        addShape(item, near);
      });
    }
    renderer.release();
  }

  function drawCells(grid) {
    clearDrawn();
    (grid.features || []).forEach(function (cell) {
      var c = cell.geometry.coordinates;
      var count = cell.properties.count;
      var marker = L.marker([c[1], c[0]], { icon: I.countIcon(count), keyboard: true });
      function zoomIn() {
        container.focus(); // the number disappears: keep the keyboard on the map
        map.setView(marker.getLatLng(), Math.min(map.getZoom() + ZOOM_IN_STEPS, map.getMaxZoom()));
      }
      marker.on("click", zoomIn);
      marker.on("keypress", function (event) {
        var key = event.originalEvent && event.originalEvent.key;
        if (key === "Enter" || key === " ") zoomIn();
      });
      cellLayer.addLayer(marker);
    });
    var drawn = (grid.features || []).reduce(function (sum, cell) {
      return sum + cell.properties.count;
    }, 0);
    return drawn;
  }

  // ---- Loading what is in view --------------------------------------------------------------

  function chosenThemes() {
    var boxes = document.querySelectorAll("#theme-filter input[name=theme]");
    var chosen = [];
    var all = true;
    boxes.forEach(function (box) {
      if (box.checked) chosen.push(box.value);
      else all = false;
    });
    return all ? null : chosen; // null: every theme, no filter
  }

  function bboxText(bounds) {
    // Rounded outwards, so an input on the edge of the view is not left out.
    function down(v) {
      return (Math.floor(v * 1e6) / 1e6).toFixed(6);
    }
    function up(v) {
      return (Math.ceil(v * 1e6) / 1e6).toFixed(6);
    }
    return [
      down(bounds.getWest()),
      down(bounds.getSouth()),
      up(bounds.getEast()),
      up(bounds.getNorth()),
    ].join(",");
  }

  function getJSON(url, signal) {
    // A plain same-origin GET, so it matches the page's <link rel="preload" as="fetch">.
    return fetch(url, { credentials: "same-origin", signal: signal }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    });
  }

  function hasNext(data) {
    return (data.links || []).some(function (link) {
      return link.rel === "next";
    });
  }

  function markDrawn(detail) {
    requestAnimationFrame(function () {
      requestAnimationFrame(function () {
        // After the browser has painted; the benchmark (docs/benchmarks.md, B8) times this.
        performance.mark("inputs-drawn", { detail: detail });
      });
    });
  }

  /* Load and draw what is in `bounds`. `early` ({bbox, pointsUrl}, a ?bbox= link): ask for the
   * dots at once, beside the counts, with the URL the page preloads (such a link nearly always
   * holds a list's worth of input). */
  function load(bounds, early) {
    if (loading) loading.abort();
    container.removeAttribute("aria-busy"); // set again below if this view needs a request
    var controller = new AbortController();
    var signal = controller.signal;
    loading = controller;
    var themes = chosenThemes();
    var themesKey = themes ? themes.join(",") : "*";
    var zoom = map.getZoom();
    if (
      shown &&
      shown.mode === "points" &&
      shown.complete &&
      shown.themes === themesKey &&
      shown.bounds.contains(bounds) &&
      // Shapes are due, but only dots were loaded: ask again, for the geometries.
      !(shown.anchors && zoom >= SHAPES_FROM_ZOOM && inView(bounds) <= FEW)
    ) {
      drawShapes(); // zoomed in on a view that was loaded whole: nothing new to fetch
      return;
    }
    if (themes && !themes.length) {
      clearDrawn();
      shown = { bounds: bounds, themes: themesKey, mode: "points", complete: true, drawn: 0 };
      say(I.t("loaded", { count: 0 }));
      return;
    }
    container.setAttribute("aria-busy", "true");
    if (themes) early = null; // the preloaded request is for every theme
    var params = new URLSearchParams();
    params.set("bbox", early ? early.bbox : bboxText(bounds));
    (themes || []).forEach(function (slug) {
      params.append("theme", slug);
    });
    var gridParams = new URLSearchParams(params);
    gridParams.set("zoom", String(zoom));

    // Dots only (a point on each line or area) unless the shapes will be drawn.
    function fetchPoints(anchors, abortSignal) {
      var query = new URLSearchParams(params);
      query.set("page_size", String(pointsMax));
      query.set("properties", "themes");
      if (anchors) query.set("geometry", "anchor");
      return getJSON(inputsUrl + "?" + query.toString(), abortSignal);
    }
    var ahead = null;
    if (early) {
      var aheadController = new AbortController();
      signal.addEventListener("abort", function () {
        aheadController.abort();
      });
      ahead = {
        controller: aheadController,
        answer: getJSON(early.pointsUrl, aheadController.signal),
      };
      ahead.answer.catch(function () {}); // an answer not needed is dropped quietly
    }

    getJSON(gridUrl + "?" + gridParams.toString(), signal)
      .then(function (grid) {
        var matched = grid.numberMatched || 0;
        var anchors = !(matched <= FEW && zoom >= SHAPES_FROM_ZOOM);
        if (ahead && (matched > aggregateAbove || !anchors)) ahead.controller.abort();
        if (matched > aggregateAbove) {
          var drawn = drawCells(grid);
          var text = I.t("loadedCounts", { count: matched });
          if (matched > drawn) {
            text += " " + I.t("countsHidden", { hidden: matched - drawn, min: grid.min_count });
          }
          return { mode: "counts", drawn: drawn, matched: matched, complete: false, text: text };
        }
        var answer = ahead && anchors ? ahead.answer : fetchPoints(anchors, signal);
        return answer.then(function (data) {
          return drawPoints(data.features || [], signal).then(function (drawn) {
            var complete = !hasNext(data);
            return {
              mode: "points",
              anchors: anchors,
              drawn: drawn,
              matched: matched,
              complete: complete,
              text: complete
                ? I.t("loaded", { count: drawn })
                : I.t("loadedNewest", { count: drawn }),
            };
          });
        });
      })
      .then(function (result) {
        if (signal.aborted) return;
        loading = null;
        shown = {
          bounds: bounds,
          themes: themesKey,
          mode: result.mode,
          complete: result.complete,
          anchors: result.anchors,
          drawn: result.drawn,
        };
        container.removeAttribute("aria-busy");
        say(result.text);
        markDrawn({ mode: result.mode, drawn: result.drawn, matched: result.matched });
      })
      .catch(function (error) {
        if (signal.aborted || (error && error.name === "AbortError")) return;
        loading = null;
        container.removeAttribute("aria-busy");
        say(I.t("loadFailed"));
      });
  }

  var pending = null;
  function loadSoon() {
    window.clearTimeout(pending);
    pending = window.setTimeout(function () {
      load(map.getBounds());
    }, DEBOUNCE_MS);
  }

  // ---- Where the map opens -----------------------------------------------------------------
  var first = map.getBounds();
  if (container.dataset.bbox) {
    // "This part of the map" from the list page: open on it, outline it, load what is in it.
    var b = container.dataset.bbox.split(",").map(Number);
    first = L.latLngBounds([b[1], b[0]], [b[3], b[2]]);
    map.fitBounds(first, { animate: false }); // at once: a later moveend would load the view
    L.rectangle(first, {
      renderer: renderer,
      color: "#00508c",
      weight: 2,
      dashArray: "6 4",
      fill: false,
      interactive: false,
    }).addTo(map);
  } else if (container.dataset.at) {
    var at = container.dataset.at.split(",").map(Number);
    map.setView([at[1], at[0]], 17, { animate: false });
    first = map.getBounds();
  }

  say(I.t("loading"));
  load(
    first,
    container.dataset.bbox
      ? { bbox: container.dataset.bbox, pointsUrl: container.dataset.firstPoints }
      : null
  );
  map.on("moveend", loadSoon);

  document.getElementById("theme-filter").addEventListener("change", function () {
    window.clearTimeout(pending);
    load(map.getBounds());
    updateListLink();
  });

  // "As a list": the same part of the map and the same themes, without the map.
  var listLink = document.getElementById("list-link");
  var listUrl = listLink.getAttribute("href");
  function updateListLink() {
    var params = new URLSearchParams();
    params.set("bbox", map.getBounds().toBBoxString());
    (chosenThemes() || []).forEach(function (slug) {
      params.append("theme", slug);
    });
    listLink.setAttribute("href", listUrl + "?" + params.toString());
  }
  map.on("moveend", updateListLink);
  updateListLink();

  // A place found by the search: show it.
  I.onPlaceChosen("overview-map", function (place) {
    map.setView([place.lat, place.lon], 17);
  });
  window.innspillMap = map; // for the browser tests and for debugging
})();
