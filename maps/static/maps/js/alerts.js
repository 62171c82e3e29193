/* Follow an area (/alerts/): choose the middle (an address found, a click or the keyboard
 * cross) and a distance, or draw an area; the choice goes into the form's hidden fields and
 * the server decides (the same admission rules as everywhere, inputbank/geometry.py).
 * Drawing is give-place.js' PlacePicker, so mouse, touch and keyboard work as on /give/.
 */
(function () {
  "use strict";
  var I = window.Innspill;
  var form = document.getElementById("alert-form");
  if (!form) return;

  function $(id) {
    return document.getElementById(id);
  }

  var mapNode = $("alert-map");
  var map = I.makeMap(mapNode);
  var circle = null;
  var fields = {
    area: $("alert-area-geojson"),
    lon: $("alert-lon"),
    lat: $("alert-lat"),
    label: $("alert-address-label"),
  };
  var radius = $("alert-radius");

  function showCircle() {
    if (circle) map.removeLayer(circle);
    circle = null;
    if (!fields.lon.value || !fields.lat.value) return;
    circle = L.circle([Number(fields.lat.value), Number(fields.lon.value)], {
      radius: Number(radius.value),
      interactive: false,
      pmIgnore: true,
      color: "#00508c",
      weight: 2,
      fillOpacity: 0.08,
    }).addTo(map);
    I.fitLayer(map, circle, 17);
  }

  var picker = new window.InnspillPlace.PlacePicker({
    map: map,
    wrap: $("alert-map-wrap"),
    status: $("place-status"),
    buttons: {
      placeAtCross: $("place-at-cross"),
      addAtCross: $("add-at-cross"),
      undo: $("undo-point"),
      finish: $("finish-drawing"),
      clear: $("clear-place"),
    },
    onChange: function (place) {
      var geometry = place && place.geometry;
      fields.area.value = geometry && geometry.type !== "Point" ? JSON.stringify(geometry) : "";
      fields.lon.value = geometry && geometry.type === "Point" ? geometry.coordinates[0] : "";
      fields.lat.value = geometry && geometry.type === "Point" ? geometry.coordinates[1] : "";
      fields.label.value = geometry && geometry.type === "Point" ? place.description || "" : "";
      showCircle();
    },
  });

  var helps = { point: $("map-help-point"), area: $("map-help-area") };
  function setMode(value) {
    var mode = value === "area" ? "area" : "point";
    picker.setMode(mode);
    $("address-tools").hidden = mode === "area";
    Object.keys(helps).forEach(function (key) {
      helps[key].hidden = key !== mode;
    });
    mapNode.setAttribute("aria-describedby", helps[mode].id);
  }
  form.querySelectorAll("input[name=area_mode]").forEach(function (radio) {
    radio.addEventListener("change", function () {
      setMode(radio.value);
    });
  });
  var checked = form.querySelector("input[name=area_mode]:checked");
  setMode(checked ? checked.value : "address");
  showCircle(); // the middle chosen before the page came back with an error

  radius.addEventListener("change", showCircle);

  I.onPlaceChosen("alert-map", function (place) {
    if (picker.mode !== "point") setMode("address");
    picker.setPin(L.latLng(place.lat, place.lon), "address", place.label);
  });

  var summary = $("error-summary");
  if (summary) summary.focus();

  window.innspillAlertMap = map; // for the browser tests and for debugging
})();
