/* "Said before here": published input near the chosen place and input with similar words,
 * each with its answer and a button to support it instead of repeating it.
 *
 * Near: POST /api/v1/prior-input/ {geometry, buffer_m} (anonymous callers get published input
 * only). Similar: GET /api/v1/inputs/?q=<words>. Support: POST /api/v1/inputs/{id}/support/.
 */
(function () {
  "use strict";
  var I = window.Innspill;
  // Cards shown before "show all": each is two Tab stops on the way from the map to the text.
  var SHOWN = 3;
  var SIMILAR_SHOWN = 5;
  var BUFFER_M = { Point: 150, LineString: 60, Polygon: 0, MultiPolygon: 0 };

  function supportButton(info) {
    var button = I.el("button", { type: "button", text: I.t("support") });
    var status = I.el("span", { className: "meta", role: "status" });
    button.addEventListener("click", function () {
      button.disabled = true;
      I.request("POST", "/api/v1/inputs/" + encodeURIComponent(info.id) + "/support/").then(
        function (result) {
          if (result.ok) {
            I.announce(status, I.t("supported"));
          } else {
            button.disabled = false;
            I.announce(status, I.t("supportFailed"));
          }
        }
      );
    });
    return I.el("div", { className: "button-row" }, button, status);
  }

  function item(feature) {
    var info = I.inputInfo(feature);
    var summary = I.inputSummary(info, "h3");
    if (info.justification) {
      summary.insertBefore(
        I.el("p", { className: "answer", text: I.shorten(info.justification, 240) }),
        summary.lastChild
      );
    }
    return I.el("li", { className: "card" }, summary, supportButton(info));
  }

  function Prior(options) {
    this.section = options.section;
    this.list = options.list;
    this.count = options.count;
    this.more = options.more;
    this.rest = [];
    this.status = options.status;
    this.similarList = options.similarList;
    this.similarHeading = options.similarHeading;
    this.priorUrl = options.priorUrl;
    this.inputsUrl = options.inputsUrl;
    this.onProcesses = options.onProcesses || function () {};
    this.requestId = 0;
    this.similarId = 0;
    this.geometry = null;
    var self = this;
    this.more.addEventListener("click", function () {
      self.showRest();
    });
  }

  /* "Show all": the rest of the earlier inputs, and focus on the first of them. */
  Prior.prototype.showRest = function () {
    var self = this;
    var first = null;
    this.rest.forEach(function (feature) {
      var card = item(feature);
      first = first || card;
      self.list.appendChild(card);
    });
    this.rest = [];
    this.more.hidden = true;
    if (first) {
      first.tabIndex = -1;
      first.focus();
    }
  };

  Prior.prototype.near = function (geometry) {
    var self = this;
    var id = ++this.requestId;
    this.geometry = geometry;
    this.list.textContent = "";
    this.rest = [];
    this.more.hidden = true;
    this.count.textContent = "";
    if (!geometry) {
      this.section.hidden = this.similarList.children.length === 0;
      return;
    }
    this.section.hidden = false;
    I.announce(this.status, I.t("priorLoading"));
    var body = { geometry: geometry, buffer_m: BUFFER_M[geometry.type] || 0, limit: 50 };
    I.request("POST", this.priorUrl, body).then(function (result) {
      if (id !== self.requestId) return; // a newer place was chosen meanwhile
      if (!result.ok || !result.data) {
        I.announce(self.status, I.t("priorFailed"));
        return;
      }
      var collection = result.data.features || {};
      var features = collection.features || [];
      features.slice(0, SHOWN).forEach(function (feature) {
        self.list.appendChild(item(feature));
      });
      self.rest = features.slice(SHOWN);
      var summary = result.data.summary || {};
      self.onProcesses(summary.processes_overlapping || []);
      var total = summary.total || features.length;
      self.count.textContent = String(total);
      if (self.rest.length) {
        self.more.textContent = I.t("priorShowAll", { count: features.length });
        self.more.hidden = false;
      }
      I.announce(self.status, total ? I.t("priorFound", { count: total }) : I.t("priorNone"));
    });
  };

  Prior.prototype.similar = function (text) {
    var self = this;
    var id = ++this.similarId;
    text = (text || "").trim();
    if (text.length < 12) {
      this.similarList.textContent = "";
      this.similarHeading.hidden = true;
      return;
    }
    var url = this.inputsUrl + "?page_size=" + SIMILAR_SHOWN + "&q=" + encodeURIComponent(text.slice(0, 200));
    I.request("GET", url).then(function (result) {
      if (id !== self.similarId || !result.ok || !result.data) return;
      self.similarList.textContent = "";
      var features = result.data.features || [];
      features.forEach(function (feature) {
        self.similarList.appendChild(item(feature));
      });
      self.similarHeading.hidden = features.length === 0;
      if (features.length) self.section.hidden = false;
    });
  };

  window.InnspillPrior = { Prior: Prior };
})();
