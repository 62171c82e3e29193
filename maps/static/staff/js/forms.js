/* Progressive enhancement for staff forms; everything works without it.
 * - [data-show-when="name=value"] sections are shown only when that radio is chosen.
 * - [data-select-all] toggles every checkbox named in its data-select-all.
 * - [data-print] prints the page. */
(function () {
  "use strict";

  function refresh() {
    document.querySelectorAll("[data-show-when]").forEach(function (section) {
      var rule = section.getAttribute("data-show-when").split("=");
      var checked = document.querySelector('input[name="' + rule[0] + '"]:checked');
      var values = rule[1].split("|");
      section.hidden = !!checked && values.indexOf(checked.value) === -1;
      if (!section.hidden && section.querySelector("[data-draw-map]")) {
        var map = section.querySelector("[data-draw-map]").drawMap;
        if (map) { map.invalidateSize(); }
      }
    });
  }
  document.addEventListener("change", function (e) {
    if (e.target && e.target.type === "radio") { refresh(); }
  });
  refresh();

  document.querySelectorAll("[data-select-all]").forEach(function (box) {
    box.addEventListener("change", function () {
      var name = box.getAttribute("data-select-all");
      document.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (c) {
        c.checked = box.checked;
      });
    });
  });

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
