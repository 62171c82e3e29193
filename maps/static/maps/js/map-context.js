/* The context under every map (common.js's setUpMap draws it): Moss' boundary and the process
 * areas as GeoJSON layers styled as context, and the local background of Moss when the basemap
 * cannot load. Loaded right after common.js on every page with a map.
 */
(function () {
  "use strict";
  var el = window.Innspill.el;
  var t = window.Innspill.t;

  /* The context layers' looks; the report's legend (staff/_prior_report.html) draws the same. */
  var CONTEXT_STYLES = {
    boundary: { color: "#444", weight: 2, dashArray: "6 4", fill: false },
    processAreas: { color: "#7b3294", weight: 1.5, dashArray: "2 4", fill: false },
  };

  /* Run fn now, or, on a page that names its data's event in data-context-after (the map page:
   * "inputsdrawn"), once that has fired: the context is fetched and drawn after the page's own
   * data, not in competition with it (B8, docs/benchmarks.md). With maxWait (ms), fn runs then
   * at the latest, so a slow drawing does not hold it back for long. */
  function afterPageData(map, fn, maxWait) {
    var event = map.getContainer().dataset.contextAfter;
    if (!event || map.innspillDataDrawn) return fn();
    var done = false;
    function once() {
      if (done) return;
      done = true;
      map.off(event, once);
      fn();
    }
    map.once(event, once);
    if (maxWait) window.setTimeout(once, maxWait);
  }

  /* Fetch a GeoJSON layer of context and put it under everything else (the map works without
   * it: a failed fetch draws nothing). */
  function contextLayer(map, url, style) {
    if (!url) return;
    afterPageData(map, function () {
      drawContextLayer(map, url, style);
    });
  }

  function drawContextLayer(map, url, style) {
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.ok ? r.json() : null; }).then(function (geojson) {
      if (!geojson) return;
      L.geoJSON(geojson, {
        interactive: false,
        pmIgnore: true,
        snapIgnore: true,
        renderer: L.svg({ padding: 0.5 }),  // a few paths in SVG; the data layers stay on canvas
        style: style,
      }).addTo(map).bringToBack();
      map.fire("contextloaded", { url: url });
    }).catch(function () { /* the map works without it */ });
  }

  // How the local background draws each kind of feature (moss_background.geojson).
  var BACKGROUND_STYLES = {
    land: { stroke: false, fillColor: "#f4f1ea", fillOpacity: 1 },
    coastline: { color: "#5f87a3", weight: 1.5, fill: false },
    road: { color: "#b8742a", weight: 3, opacity: 0.9, fill: false },
    boundary: { color: "#444", weight: 2, dashArray: "6 4", fill: false },
  };

  /* Without the basemap (offline, blocked, none configured) the map still shows Moss: land and
   * coastline, the main roads and the municipal border from our own small file
   * (data-background-url: maps/static/maps/data/moss_background.geojson, how it was made is in
   * docs/resident-map.md), in a pane under everything drawn, and says on the map that the
   * background is missing. */
  function showLocalBackground(map) {
    var container = map.getContainer();
    var url = container.dataset.backgroundUrl;
    if (!url || container.classList.contains("map--offline")) return;
    container.classList.add("map--offline");
    var notice = L.control({ position: "bottomleft" });
    notice.onAdd = function () {
      return el("div", { className: "map-offline-notice", dir: "auto", text: t("backgroundMissing") });
    };
    notice.addTo(map);
    var pane = map.createPane("innspill-background");
    pane.style.zIndex = 150; // below the overlays (400) and the markers
    pane.style.pointerEvents = "none";
    afterPageData(map, function () {
      drawBackground(map, url);
    });
  }

  function drawBackground(map, url) {
    var container = map.getContainer();
    fetch(url)
      .then(function (r) {
        return r.ok ? r.json() : null;
      })
      .then(function (geojson) {
        if (!geojson) return;
        L.geoJSON(geojson, {
          pane: "innspill-background",
          interactive: false,
          pmIgnore: true,
          snapIgnore: true,
          // SVG in its own pane: the data layers stay on their canvas above it.
          renderer: L.svg({ pane: "innspill-background", padding: 0.5 }),
          // A staff map draws its own boundary file already (data-boundary-url).
          filter: function (feature) {
            return !(container.dataset.boundaryUrl && (feature.properties || {}).kind === "boundary");
          },
          style: function (feature) {
            return BACKGROUND_STYLES[(feature.properties || {}).kind] || BACKGROUND_STYLES.road;
          },
        }).addTo(map);
        map.fire("backgroundshown");
      })
      .catch(function () {
        /* the map works on its plain background */
      });
  }

  window.Innspill.mapContext = {
    CONTEXT_STYLES: CONTEXT_STYLES,
    contextLayer: contextLayer,
    afterPageData: afterPageData,
    showLocalBackground: showLocalBackground,
  };
})();
