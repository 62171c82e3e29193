/* Process page: copy the embed code. (The map itself is folium's script, map.js.) */
(function () {
  "use strict";
  var I = window.Innspill;
  var button = document.getElementById("copy-embed");
  if (!button) return;
  button.addEventListener("click", function () {
    var code = document.getElementById(button.dataset.copy).textContent;
    var status = document.getElementById("copy-status");
    if (navigator.clipboard) {
      navigator.clipboard.writeText(code).then(function () {
        I.announce(status, I.t("copied"));
      });
    } else {
      var range = document.createRange();
      range.selectNodeContents(document.getElementById(button.dataset.copy));
      window.getSelection().removeAllRanges();
      window.getSelection().addRange(range);
    }
  });
})();
