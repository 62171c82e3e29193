/* Shared map set-up for the staff workspace (no inline scripts: data comes from data- attributes
 * and json_script elements). Leaflet is served from /static/vendor/leaflet. */
(function () {
  "use strict";

  function readJSON(id) {
    var el = id && document.getElementById(id);
    if (!el) { return null; }
    try { return JSON.parse(el.textContent); } catch (e) { return null; }
  }

  function createMap(el, options) {
    // Moss' centre comes from the server as "lon,lat" (geo/crs.py, via basemap_attrs).
    var lonlat = (el.getAttribute("data-centre") || "").split(",").map(Number);
    var opts = { center: [lonlat[1], lonlat[0]], zoom: 12, scrollWheelZoom: true };
    Object.keys(options || {}).forEach(function (k) { opts[k] = options[k]; });
    var map = L.map(el, opts);
    var tiles = el.getAttribute("data-tiles");
    if (tiles) {
      // Tiles may be unreachable (offline): the map still works on a blank background.
      L.tileLayer(tiles, {
        maxZoom: 19,
        attribution: el.getAttribute("data-attribution") || ""
      }).addTo(map);
    }
    L.control.scale({ imperial: false }).addTo(map);
    return map;
  }

  function fit(map, layer) {
    try {
      var bounds = layer.getBounds();
      if (bounds.isValid()) { map.fitBounds(bounds, { padding: [20, 20], maxZoom: 17 }); }
    } catch (e) { /* a layer without bounds: keep the default view */ }
  }

  window.StaffMaps = { createMap: createMap, readJSON: readJSON, fit: fit };
})();
