/* Place search (place name, street, address, gnr/bnr) from the local registers, shown in place.
 *
 * Without this script the form opens the search page; with it, results appear as buttons under
 * the field, their number is announced, and choosing one fires "innspill:place" for the map.
 * A single hit is chosen at once: the map goes there and marks it.
 */
(function () {
  "use strict";
  var I = window.Innspill;

  function enhance(form) {
    var input = form.querySelector("input[type=search]");
    var status = form.querySelector("[role=status]");
    var list = form.querySelector(".place-results");
    var target = form.dataset.target;

    function choose(place) {
      list.textContent = "";
      input.value = place.label;
      // The button that had focus is gone: give focus back to the field, not to the page.
      input.focus();
      I.announce(status, I.t("addressChosen", { address: place.label }));
      document.dispatchEvent(
        new CustomEvent("innspill:place", { detail: { target: target, place: place } })
      );
    }

    function show(places) {
      if (places.length === 1) {
        choose(places[0]);
        return;
      }
      list.textContent = "";
      places.forEach(function (place) {
        var button = I.el("button", { type: "button", className: "place-result", text: place.label });
        button.addEventListener("click", function () {
          choose(place);
        });
        list.appendChild(I.el("li", null, button));
      });
      I.announce(
        status,
        places.length ? I.tn("searchResults", places.length) : I.t("searchNone")
      );
    }

    function search(event) {
      event.preventDefault();
      var text = input.value.trim();
      if (text.length < 2) {
        show([]);
        return;
      }
      I.announce(status, I.t("searching"));
      var url = form.dataset.searchUrl + "?q=" + encodeURIComponent(text);
      I.request("GET", url).then(function (result) {
        if (!result.ok || !result.data) {
          I.announce(status, I.t("searchFailed"));
          return;
        }
        show(result.data.results || []);
      });
    }

    if (form.tagName === "FORM") {
      form.addEventListener("submit", search);
    } else {
      // Inside the input form: Enter in the field searches instead of sending the whole form.
      form.querySelector(".place-search__button").addEventListener("click", search);
      input.addEventListener("keydown", function (event) {
        if (event.key === "Enter") search(event);
      });
    }
  }

  document.querySelectorAll(".place-search").forEach(enhance);
})();
