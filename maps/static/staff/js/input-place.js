/* The shared place search (maps/js/place-search.js) on staff forms. On the input form the
 * address, property or place name found becomes the input's point (written into the geometry field, which
 * the drawing map reads back), its location source and its description. On the prior-input
 * question it becomes the centre of the area: the point, with the distance field's buffer
 * (200 m when none is set), so the question can be asked without a mouse. */
(function () {
  "use strict";
  var I = window.Innspill;

  document.querySelectorAll(".place-search[data-description]").forEach(function (box) {
    var target = document.getElementById(box.dataset.target);
    var description = document.getElementById(box.dataset.description);
    if (!target) { return; }
    I.onPlaceChosen(box.dataset.target, function (place) {
      target.value = JSON.stringify({ type: "Point", coordinates: [place.lon, place.lat] });
      target.dispatchEvent(new Event("input"));
      // A name from the place-name register (Stedsnavn) is the "place name" source.
      var kind = place.kind === "property" ? "property" : place.kind === "place" ? "place_name" : "address";
      var radio = document.querySelector('input[name="location_source"][value="' + kind + '"]');
      if (radio) { radio.checked = true; radio.dispatchEvent(new Event("change", { bubbles: true })); }
      if (description) { description.value = kind === "property" ? place.property : (place.address || place.label); }
    });
  });

  document.querySelectorAll(".place-search[data-buffer-field]").forEach(function (box) {
    var target = document.getElementById(box.dataset.target);
    var buffer = document.getElementById(box.dataset.bufferField);
    if (!target) { return; }
    I.onPlaceChosen(box.dataset.target, function (place) {
      target.value = JSON.stringify({ type: "Point", coordinates: [place.lon, place.lat] });
      target.dispatchEvent(new Event("input"));
      if (buffer && !(Number(buffer.value) > 0)) { buffer.value = "200"; }
    });
  });
})();
