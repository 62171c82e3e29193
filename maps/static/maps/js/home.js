/* The participation map at /: open consultation areas and the published input in view.
 *
 * Only what is in view is loaded, so the page stays quick with a million inputs in the bank
 * (docs/resident-map.md):
 *  1. GET /api/v1/inputs/grid/?bbox=<view>&zoom=<z> counts the inputs in view, per place;
 *  2. up to data-aggregate-above inputs: GET /api/v1/inputs/dots/?bbox=<view> (at most
 *     data-points-max, newest first: ids, points and theme numbers as columns) draws each
 *     input as a circle on one canvas; with few inputs from zoom 15 the list's Features
 *     (GET /api/v1/inputs/?bbox=<view>&properties=themes) come instead and lines and areas
 *     are drawn as shapes; a popup loads its input when it opens;
 *  3. more than that: one number per place (a focusable button; Enter zooms in).
 * A ?bbox= link's dots are preloaded and drawn as they arrive; they say how many inputs the
 * view holds, so the counts are asked for only when there are too many for dots (and then
 * replace the dots with numbers); the map's background and context wait for the first dots.
 * Moving the map loads again after a short pause; a newer view aborts older requests. Points
 * are drawn in slices so no task blocks the page; then performance.mark("inputs-drawn").
 *
 * The set-up runs in a task of its own: the page's one script file (Leaflet and the map's
 * scripts, maps/bundles.py) is evaluated in one task, and the set-up after it in the same task
 * made it the page's longest (B8.tasks, docs/benchmarks.md).
 */
setTimeout(function () {
  "use strict";
  var I = window.Innspill;
  var container = document.getElementById("overview-map");
  if (!container) return;

  var DEBOUNCE_MS = 250;
  var pointsMax = Number(container.dataset.pointsMax) || 10000;
  var aggregateAbove = Number(container.dataset.aggregateAbove) || 25000;
  var inputsUrl = container.dataset.inputsUrl;
  var dotsUrl = container.dataset.dotsUrl;
  var gridUrl = container.dataset.gridUrl;
  var status = document.getElementById("map-status");
  // A ?bbox= or ?at= link: the map opens there at once (not on all of Moss first, with its
  // tiles requested and then dropped).
  if (container.dataset.bbox) container.dataset.bounds = container.dataset.bbox;
  else if (container.dataset.at) {
    container.dataset.centre = container.dataset.at;
    container.dataset.zoom = "17";
  }
  var map = I.makeMap(container);
  map.on("tilesfailed", function () {
    // The notice can come after the inputs are drawn: what was said of them stays beside it.
    I.announce(status, said ? I.t("tilesFailed") + " " + said : I.t("tilesFailed"));
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
          I.el("p", null, I.el("a", { href: process.url, text: I.t("readProcess") }))
        );
      })
      .addTo(processLayer);
  });

  var layers = I.inputLayers(map, { inputsUrl: inputsUrl, container: container });
  var FEW = layers.FEW;
  var SHAPES_FROM_ZOOM = layers.SHAPES_FROM_ZOOM;
  var shown = null; // {bounds, themes, mode, complete} of the drawn view
  var loading = null; // AbortController of the load in progress
  var said = "";

  function say(text) {
    if (text === said) return; // moving the map must not repeat the same sentence
    said = text;
    I.announce(status, text);
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

  /* After the browser has painted: the mark the benchmark times (docs/benchmarks.md, B8), then
   * the status line says what is shown (not before the inputs can be seen). */
  function markDrawn(detail, text) {
    requestAnimationFrame(function () {
      requestAnimationFrame(function () {
        performance.mark("inputs-drawn", { detail: detail });
        say(text);
        firstDataDone();
      });
    });
  }

  /* The map's context (the local background when the basemap fails) waits for the first
   * inputs (data-context-after="inputsdrawn", map-context.js); also when they failed. */
  function firstDataDone() {
    if (map.innspillDataDrawn) return;
    map.innspillDataDrawn = true;
    map.fire("inputsdrawn");
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
      !(shown.anchors && zoom >= SHAPES_FROM_ZOOM && layers.inView(bounds) <= FEW)
    ) {
      layers.drawShapes(); // zoomed in on a view that was loaded whole: nothing new to fetch
      return;
    }
    if (themes && !themes.length) {
      layers.clear();
      shown = { bounds: bounds, themes: themesKey, mode: "points", complete: true, drawn: 0 };
      say(I.t("loaded", { count: 0 }));
      firstDataDone();
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
    function fetchAndDraw(anchors, abortSignal) {
      var query = new URLSearchParams(params);
      query.set("page_size", String(pointsMax));
      if (!anchors) query.set("properties", "themes");
      return getJSON((anchors ? dotsUrl : inputsUrl) + "?" + query.toString(), abortSignal).then(
        function (data) {
          var drawn = anchors
            ? layers.drawDots(data, abortSignal)
            : layers.drawPoints(data.features || [], abortSignal);
          return drawn.then(function (count) {
            return { data: data, drawn: count };
          });
        }
      );
    }
    var ahead = null;
    if (early) {
      var aheadController = new AbortController();
      signal.addEventListener("abort", function () {
        aheadController.abort();
      });
      // The dots are drawn as soon as they come (B8, docs/benchmarks.md).
      var answer = getJSON(early.pointsUrl, aheadController.signal);
      ahead = {
        controller: aheadController,
        answer: answer,
        drawing: answer.then(function (data) {
          return layers.drawDots(data, aheadController.signal).then(function (drawn) {
            return { data: data, drawn: drawn };
          });
        }),
      };
      ahead.drawing.catch(function () {}); // an answer not needed is dropped quietly
    }

    function pointsResult(done, anchors, matched) {
      var complete = !hasNext(done.data);
      return {
        mode: "points",
        anchors: anchors,
        drawn: done.drawn,
        matched: matched,
        complete: complete,
        text: complete
          ? I.t("loaded", { count: done.drawn })
          : I.t("loadedNewest", { count: done.drawn }),
      };
    }

    function counted() {
      return getJSON(gridUrl + "?" + gridParams.toString(), signal);
    }
    function fromCounts(grid) {
      var matched = grid.numberMatched || 0;
      var anchors = !(matched <= FEW && zoom >= SHAPES_FROM_ZOOM);
      if (ahead && (matched > aggregateAbove || !anchors)) ahead.controller.abort();
      if (matched > aggregateAbove) {
        var drawn = layers.drawCells(grid);
        var text = I.t("loadedCounts", { count: matched });
        if (matched > drawn) {
          text += " " + I.t("countsHidden", { hidden: matched - drawn, min: grid.min_count });
        }
        return { mode: "counts", drawn: drawn, matched: matched, complete: false, text: text };
      }
      var drawing = ahead && anchors ? ahead.drawing : fetchAndDraw(anchors, signal);
      return drawing.then(function (done) {
        return pointsResult(done, anchors, matched);
      });
    }
    // A ?bbox= link's dots say how many inputs the view holds (numberMatched, counted up to
    // data-aggregate-above), so the counts are not asked for: the dots are the answer unless
    // the view is few enough for shapes. Only a view with more (rare for such a link) asks for
    // the counts, to draw numbers per place instead (B8, docs/benchmarks.md).
    var outcome = !ahead
      ? counted().then(fromCounts)
      : ahead.answer.then(function (data) {
          var matched = data.numberMatched;
          if (matched === null || matched === undefined || matched > aggregateAbove) {
            return counted().then(fromCounts);
          }
          var anchors = !(matched <= FEW && zoom >= SHAPES_FROM_ZOOM);
          if (!anchors) ahead.controller.abort();
          return (anchors ? ahead.drawing : fetchAndDraw(false, signal)).then(function (done) {
            return pointsResult(done, anchors, matched);
          });
        });

    outcome
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
        markDrawn({ mode: result.mode, drawn: result.drawn, matched: result.matched }, result.text);
      })
      .catch(function (error) {
        if (signal.aborted || (error && error.name === "AbortError")) return;
        loading = null;
        container.removeAttribute("aria-busy");
        say(I.t("loadFailed"));
        firstDataDone();
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
    first = L.latLngBounds([b[1], b[0]], [b[3], b[2]]); // makeMap opened the map on it
    L.rectangle(first, {
      renderer: layers.renderer,
      color: "#00508c",
      weight: 2,
      dashArray: "6 4",
      fill: false,
      interactive: false,
    }).addTo(map);
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

  // A place found by the search: go there and mark it, with its name beside the mark.
  var foundMarker = null;
  I.onPlaceChosen("overview-map", function (place) {
    if (foundMarker) map.removeLayer(foundMarker);
    foundMarker = L.marker([place.lat, place.lon], {
      keyboard: false,
      interactive: false,
      title: place.label,
      alt: place.label,
    })
      .bindTooltip(I.el("span", { text: place.label }), { permanent: true, direction: "top", offset: [0, -36] })
      .addTo(map);
    map.setView([place.lat, place.lon], place.kind === "place" ? 15 : 17);
  });
  window.innspillMap = map; // for the browser tests and for debugging
}, 0);
