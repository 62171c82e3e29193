/* The participation map at /: open consultation areas and published input, clustered.
 *
 * Published input comes from GET /api/v1/inputs/ (GeoJSON, paged). Each input is one small
 * canvas circle in a marker-cluster group, so 10 000+ inputs stay smooth; lines and areas are
 * also drawn as shapes once the map is zoomed in far enough to read them.
 */
(function () {
  "use strict";
  var I = window.Innspill;
  var container = document.getElementById("overview-map");
  if (!container) return;

  var PAGE_SIZE = 5000;
  var SHAPES_FROM_ZOOM = 15;
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

  // Published input.
  var cluster = L.markerClusterGroup({
    chunkedLoading: true,
    showCoverageOnHover: false,
    removeOutsideVisibleBounds: true,
    maxClusterRadius: 80, // fewer, larger clusters: each one is a DOM element
    iconCreateFunction: I.clusterIcon,
  });
  cluster.on("clusterkeypress", function (event) {
    var key = event.originalEvent && event.originalEvent.key;
    if (key === "Enter" || key === " ") event.layer.zoomToBounds({ padding: [20, 20] });
  });
  cluster.addTo(map);
  var shapes = L.layerGroup();
  var items = []; // {info, marker, shape}

  function markerFor(feature) {
    var info = I.inputInfo(feature);
    var anchor = I.geometryAnchor(feature.geometry);
    if (!anchor) return null;
    var colour = I.themeColour(info.themes);
    var marker = L.circleMarker(anchor, {
      radius: 8,
      color: "#1b1b1b",
      weight: 1.5,
      fillColor: colour,
      fillOpacity: 0.95,
    });
    marker.bindPopup(function () {
      return I.inputSummary(info);
    });
    var shape = null;
    if (feature.geometry.type !== "Point") {
      shape = L.geoJSON(feature.geometry, {
        style: { color: colour, weight: 4, fillOpacity: 0.15 },
        interactive: false,
      });
    }
    return { info: info, marker: marker, shape: shape };
  }

  function chosenThemes() {
    var boxes = document.querySelectorAll("#theme-filter input[name=theme]");
    var chosen = {};
    var all = true;
    boxes.forEach(function (box) {
      chosen[box.value] = box.checked;
      if (!box.checked) all = false;
    });
    return all ? null : chosen;
  }

  function visible(item, chosen) {
    if (!chosen || !item.info.themes.length) return true;
    return item.info.themes.some(function (slug) {
      return chosen[slug];
    });
  }

  var shown = []; // the items that pass the theme filter

  function refresh() {
    var chosen = chosenThemes();
    shown = items.filter(function (item) {
      return visible(item, chosen);
    });
    cluster.clearLayers();
    cluster.addLayers(
      shown.map(function (item) {
        return item.marker;
      })
    );
    drawShapes();
    I.announce(status, I.t("loaded", { count: shown.length }));
  }

  /* Lines and areas as shapes, zoomed in only, and only those near the view: thousands of
   * off-screen paths would make every pan and zoom redraw them all. */
  function drawShapes() {
    shapes.clearLayers();
    if (map.getZoom() < SHAPES_FROM_ZOOM) {
      map.removeLayer(shapes);
      return;
    }
    var view = map.getBounds().pad(0.5);
    shown.forEach(function (item) {
      if (item.shape && view.contains(item.marker.getLatLng())) shapes.addLayer(item.shape);
    });
    shapes.addTo(map);
  }
  map.on("moveend", drawShapes);

  function nextLink(data) {
    if (!data) return null;
    if (typeof data.next === "string") return data.next;
    var links = data.links || [];
    for (var i = 0; i < links.length; i++) if (links[i].rel === "next") return links[i].href;
    return null;
  }

  function load(url) {
    return I.request("GET", url).then(function (result) {
      if (!result.ok || !result.data) throw new Error("load failed");
      (result.data.features || []).forEach(function (feature) {
        var item = markerFor(feature);
        if (item) items.push(item);
      });
      var next = nextLink(result.data);
      return next ? load(next) : null;
    });
  }

  I.announce(status, I.t("loading"));
  var bounds = container.dataset.maxBounds;
  load(container.dataset.inputsUrl + "?page_size=" + PAGE_SIZE + "&bbox=" + encodeURIComponent(bounds))
    .then(refresh, function () {
      I.announce(status, I.t("loadFailed"));
    });

  document.getElementById("theme-filter").addEventListener("change", function () {
    refresh();
    updateListLink();
  });

  // "As a list": the same part of the map and the same themes, without the map.
  var listLink = document.getElementById("list-link");
  var listUrl = listLink.getAttribute("href");
  function updateListLink() {
    var params = new URLSearchParams();
    params.set("bbox", map.getBounds().toBBoxString());
    var chosen = chosenThemes();
    if (chosen) {
      Object.keys(chosen).forEach(function (slug) {
        if (chosen[slug]) params.append("theme", slug);
      });
    }
    listLink.setAttribute("href", listUrl + "?" + params.toString());
  }
  map.on("moveend", updateListLink);
  updateListLink();

  // A place found by the search: show it.
  I.onPlaceChosen("overview-map", function (place) {
    map.setView([place.lat, place.lon], 17);
  });
  if (container.dataset.at) {
    var at = container.dataset.at.split(",").map(Number);
    map.setView([at[1], at[0]], 17);
  }
  window.innspillMap = map; // for the browser tests and for debugging
})();
