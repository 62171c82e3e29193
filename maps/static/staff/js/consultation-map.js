/* The consultation map: hexagons coloured by how many processes consulted each cell, or by how
 * recently. Data comes from the grid URL in data-grid (GeoJSON built in PostgreSQL). */
(function () {
  "use strict";
  var I = window.Innspill;
  var el = document.querySelector("[data-consultation-map]");
  if (!el) { return; }
  var map = I.makeMap(el);
  var layer = null;
  var data = null;
  var select = document.getElementById("colour-by");
  var status = document.getElementById("map-status");
  var COUNT = ["#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704"];
  var AGE = ["#08306b", "#2171b5", "#6baed6", "#c6dbef", "#f7fbff"];

  function countColour(n) {
    return COUNT[Math.min(COUNT.length - 1, Math.max(0, n - 1))];
  }

  function ageColour(day) {
    if (!day) { return AGE[4]; }
    var years = (Date.now() - Date.parse(day)) / (365.25 * 864e5);
    if (years < 1) { return AGE[0]; }
    if (years < 2) { return AGE[1]; }
    if (years < 4) { return AGE[2]; }
    if (years < 8) { return AGE[3]; }
    return AGE[4];
  }

  function draw() {
    if (layer) { map.removeLayer(layer); }
    var byAge = select && select.value === "recency";
    layer = L.geoJSON(data, {
      style: function (f) {
        var p = f.properties;
        return {
          color: "#444", weight: 0.5, fillOpacity: 0.7,
          fillColor: byAge ? ageColour(p.last_consulted) : countColour(p.processes)
        };
      },
      onEachFeature: function (f, l) {
        var p = f.properties;
        // Numbers and dates only: built with textContent, never HTML from data.
        var text = p.last_consulted
          ? I.t("gridCell", { processes: p.processes, last: p.last_consulted, inputs: p.inputs })
          : I.t("gridCellNever", { inputs: p.inputs });
        l.bindTooltip(I.el("div", { text: text }));
      }
    }).addTo(map);
    if (data.features.length) { I.fitLayer(map, layer); }
  }

  I.request("GET", el.getAttribute("data-grid")).then(function (result) {
    if (!result.ok || !result.data) {
      I.announce(status, I.t("gridFailed"));
      return;
    }
    data = result.data;
    I.announce(status, I.t("gridLoaded", { count: data.features.length }));
    draw();
  });
  if (select) { select.addEventListener("change", function () { if (data) { draw(); } }); }
})();
