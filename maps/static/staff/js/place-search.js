/* Find an address or a property (gnr/bnr) and put the point on the drawing map.
 * Uses the resident map's offline address register (GET data-search-url?q=...), which answers
 * {"results": [{kind, label, lon, lat, address, property}]}. Results are built with
 * textContent only. Without the endpoint the box says so and the map still works. */
(function () {
  "use strict";
  var box = document.querySelector("[data-place-search]");
  if (!box) { return; }
  var input = box.querySelector("input[type=search]");
  var button = box.querySelector("button");
  var list = box.querySelector("ul");
  var status = box.querySelector("[role=status]");
  var target = document.getElementById(box.getAttribute("data-target"));
  var description = document.getElementById(box.getAttribute("data-description"));

  function choose(place) {
    target.value = JSON.stringify({ type: "Point", coordinates: [place.lon, place.lat] });
    target.dispatchEvent(new Event("input"));
    var kind = place.kind === "property" ? "property" : "address";
    var radio = document.querySelector('input[name="location_source"][value="' + kind + '"]');
    if (radio) { radio.checked = true; radio.dispatchEvent(new Event("change", { bubbles: true })); }
    if (description) { description.value = kind === "property" ? place.property : (place.address || place.label); }
    status.textContent = "Plassert: " + place.label;
    list.textContent = "";
  }

  function search() {
    var q = input.value.trim();
    if (q.length < 2) { return; }
    status.textContent = "Søker …";
    fetch(box.getAttribute("data-search-url") + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
      .then(function (data) {
        list.textContent = "";
        (data.results || []).forEach(function (place) {
          var li = document.createElement("li");
          var b = document.createElement("button");
          b.type = "button";
          b.className = "secondary";
          b.textContent = place.label;
          b.addEventListener("click", function () { choose(place); });
          li.appendChild(b);
          list.appendChild(li);
        });
        status.textContent = (data.results || []).length ? "" : "Fant ingen adresse eller eiendom.";
      })
      .catch(function () { status.textContent = "Adressesøket er ikke tilgjengelig; plasser punktet på kartet."; });
  }

  button.addEventListener("click", search);
  input.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); search(); } });
})();
