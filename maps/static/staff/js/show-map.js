/* Read-only maps: [data-show-map] shows the GeoJSON in the json_script named by data-area
 * (outlined) and data-features (points/lines/areas coloured by properties.outcome, numbered like
 * the list on the page). Clicking a feature jumps to its row (#item-N). Text written by people
 * is never put into the map: tooltips show the number only. */
(function () {
  "use strict";
  var COLOURS = {
    adopted: "#1a7f37", partly_adopted: "#3b6f1e", not_adopted: "#b42318",
    not_relevant: "#6e6e6e", noted: "#1f6f8b", none: "#7a4fb5"
  };

  function colour(feature) {
    var p = feature.properties || {};
    return COLOURS[p.outcome] || "#1f6f8b";
  }

  function setUp(el) {
    // Canvas draws thousands of markers where SVG/DOM markers would struggle.
    var map = window.StaffMaps.createMap(el, { preferCanvas: true });
    var area = window.StaffMaps.readJSON(el.getAttribute("data-area"));
    var features = window.StaffMaps.readJSON(el.getAttribute("data-features"));
    var all = L.featureGroup().addTo(map);
    if (area) {
      L.geoJSON(area, { style: { color: "#d9480f", weight: 3, fillOpacity: 0.05 } }).addTo(all);
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
    window.StaffMaps.fit(map, all);
  }

  document.querySelectorAll("[data-show-map]").forEach(setUp);
})();
