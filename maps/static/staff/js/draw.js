/* Drawing on a map with Leaflet-Geoman. Each [data-draw-map] element writes what is drawn as
 * GeoJSON (lon/lat) into the textarea named by data-target, and reads it back on load, so the
 * textarea is also a keyboard alternative: paste GeoJSON there instead of drawing.
 * data-mode="area" allows polygons and rectangles; "any" allows one point, line or area;
 * "point" one point (a meeting's place). */
(function () {
  "use strict";
  var I = window.Innspill;

  function setUp(el) {
    var target = document.getElementById(el.getAttribute("data-target"));
    if (!target) { return; }
    var mode = el.getAttribute("data-mode") || "area";
    var map = I.makeMap(el);
    var drawn = L.featureGroup().addTo(map);
    var context = I.readJSON(el.getAttribute("data-context"), null);
    if (context) {
      var ctx = L.geoJSON(context, { style: { color: "#555", weight: 2, dashArray: "4 4", fill: false } }).addTo(map);
      I.fitLayer(map, ctx);
    }

    function write() {
      var geoms = [];
      drawn.eachLayer(function (layer) { geoms.push(layer.toGeoJSON().geometry); });
      if (!geoms.length) { target.value = ""; }
      else if (geoms.length === 1) { target.value = JSON.stringify(geoms[0]); }
      else {
        target.value = JSON.stringify({
          type: "FeatureCollection",
          features: geoms.map(function (g) { return { type: "Feature", geometry: g, properties: {} }; })
        });
      }
      target.dispatchEvent(new Event("change"));
    }

    function read() {
      drawn.clearLayers();
      if (!target.value.trim()) { return; }
      try {
        L.geoJSON(JSON.parse(target.value)).eachLayer(function (layer) {
          drawn.addLayer(layer);
          watch(layer);
        });
        I.fitLayer(map, drawn);
      } catch (e) { /* invalid text: the server will say what is wrong */ }
    }

    function watch(layer) {
      layer.on("pm:edit pm:update pm:dragend", write);
    }

    map.pm.addControls({
      position: "topleft",
      drawMarker: mode === "any" || mode === "point",
      drawCircleMarker: false,
      drawPolyline: mode === "any",
      drawRectangle: mode !== "point",
      drawPolygon: mode !== "point",
      drawCircle: false,
      drawText: false,
      cutPolygon: false,
      rotateMode: false
    });
    map.pm.setGlobalOptions({ layerGroup: drawn });
    // Geoman's buttons carry their name only as the container's title: give screen readers it.
    el.querySelectorAll(".leaflet-buttons-control-button").forEach(function (button) {
      var title = button.parentNode.getAttribute("title");
      if (title) { button.setAttribute("aria-label", title); }
    });
    map.on("pm:create", function (e) {
      if (mode === "any" || mode === "point") {
        // One input has one geometry: a new shape replaces the old one.
        drawn.eachLayer(function (layer) { if (layer !== e.layer) { drawn.removeLayer(layer); } });
      }
      if (!drawn.hasLayer(e.layer)) { drawn.addLayer(e.layer); }
      watch(e.layer);
      write();
    });
    map.on("pm:remove", function (e) { drawn.removeLayer(e.layer); write(); });
    target.addEventListener("input", read);
    read();
    el.drawMap = map;
  }

  document.querySelectorAll("[data-draw-map]").forEach(setUp);
})();
