/* Read-only maps: [data-show-map] shows the GeoJSON in the json_script named by data-area
 * (outlined) and data-features (points/lines/areas coloured by properties.outcome with the
 * colours in the json_script named by data-colours, numbered like the list on the page).
 * Clicking a feature jumps to its row (#item-N). Text written by people is never put into the
 * map: tooltips show the number only. */
(function () {
  "use strict";
  var I = window.Innspill;
  var AREA_COLOUR = "#d9480f";
  var OTHER_COLOUR = "#1f6f8b";

  function setUp(el) {
    var map = I.makeMap(el);
    var area = I.readJSON(el.getAttribute("data-area"), null);
    var features = I.readJSON(el.getAttribute("data-features"), null);
    var colours = I.readJSON(el.getAttribute("data-colours"), {});
    var all = L.featureGroup().addTo(map);

    function colour(feature) {
      var p = feature.properties || {};
      return colours[p.outcome] || OTHER_COLOUR;
    }

    if (area) {
      L.geoJSON(area, { style: { color: AREA_COLOUR, weight: 3, fillOpacity: 0.05 } }).addTo(all);
    }
    if (features) {
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
