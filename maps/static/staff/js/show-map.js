/* Read-only maps: [data-show-map] shows the GeoJSON in the json_script named by data-area
 * (outlined) and data-features (points/lines/areas coloured by properties.outcome with the
 * colours in the json_script named by data-colours, numbered like the list on the page).
 * Clicking a feature jumps to its row (#item-N). With many hits the page gives data-cells
 * instead (counts per square, inputbank/reads/grid.py): a circle sized by the count with the
 * number on it, as the printable map (maps/builders.py, CELL_STYLE) draws them.
 * Text written by people is never put into the map: tooltips show numbers only. */
(function () {
  "use strict";
  var I = window.Innspill;
  var AREA_COLOUR = "#222222";  // as maps/builders.py REPORT_AREA_STYLE: no outcome colour is mistaken for it
  var OTHER_COLOUR = "#1f6f8b";

  var CELL_RADIUS = [9, 18];
  var CELL_FILL = "#0072B2";

  function drawCells(cells, layer) {
    var largest = 1;
    cells.features.forEach(function (c) { largest = Math.max(largest, Number(c.properties.count)); });
    cells.features.forEach(function (c) {
      var count = Number(c.properties.count);
      var latlng = [c.geometry.coordinates[1], c.geometry.coordinates[0]];
      var radius = CELL_RADIUS[0] + (CELL_RADIUS[1] - CELL_RADIUS[0]) * Math.sqrt(count / largest);
      L.circleMarker(latlng, { radius: radius, color: "#fff", weight: 1, fillColor: CELL_FILL, fillOpacity: 0.75 }).addTo(layer);
      var label = document.createElement("span");
      label.className = "cell-count";
      label.textContent = String(count);
      L.marker(latlng, {
        interactive: false,
        keyboard: false,
        icon: L.divIcon({ html: label, className: "cell-count-icon", iconSize: [40, 16], iconAnchor: [20, 8] }),
      }).addTo(layer);
    });
  }

  function setUp(el) {
    var map = I.makeMap(el);
    var area = I.readJSON(el.getAttribute("data-area"), null);
    var features = I.readJSON(el.getAttribute("data-features"), null);
    var cells = el.hasAttribute("data-cells") ? I.readJSON(el.getAttribute("data-cells"), null) : null;
    var colours = I.readJSON(el.getAttribute("data-colours"), {});
    var all = L.featureGroup().addTo(map);

    function colour(feature) {
      var p = feature.properties || {};
      return colours[p.outcome] || OTHER_COLOUR;
    }

    if (area) {
      L.geoJSON(area, { style: { color: AREA_COLOUR, weight: 3, fillOpacity: 0.05 } }).addTo(all);
    }
    if (cells) drawCells(cells, all);
    if (features && !cells) {
      L.geoJSON(features, {
        style: function (f) { return { color: colour(f), weight: 3, fillOpacity: 0.2 }; },
        pointToLayer: function (f, latlng) {
          return L.circleMarker(latlng, { radius: 7, color: "#fff", weight: 1, fillColor: colour(f), fillOpacity: 0.9 });
        },
        onEachFeature: function (f, layer) {
          var n = f.properties && f.properties.n;
          if (n) {
            layer.bindTooltip(String(Number(n)));
            layer.on("click", function () {
              var row = document.getElementById("item-" + Number(n));
              if (row) { row.scrollIntoView({ behavior: "smooth", block: "center" }); row.focus(); }
            });
          }
        }
      }).addTo(all);
    }
    I.fitLayer(map, all);
  }

  document.querySelectorAll("[data-show-map]").forEach(setUp);
})();
