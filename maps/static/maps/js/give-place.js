/* Choosing the place of an input: a pin, a line or an area, by mouse, touch or keyboard alone.
 *
 * Keyboard: the map (role=application) pans under a fixed cross with the arrow keys; Enter or
 * Space puts the pin (or the next point of a line/area) at the cross. Drawing lines and areas
 * uses Leaflet-Geoman for mouse and touch; the keyboard and the buttons add points to the same
 * Geoman drawing, so there is one drawing, whatever the input device.
 *
 * The chosen place is reported as {geometry (GeoJSON, lon/lat), source, description} or null.
 */
(function () {
  "use strict";
  var I = window.Innspill;

  // Geoman's vertex and cursor markers would otherwise be focusable "buttons" without a name
  // that do nothing with the keyboard. Keyboard users draw with the cross and the buttons
  // instead, so markers here are not in the tab order unless they ask to be (the pin does).
  L.Marker.mergeOptions({ keyboard: false });

  function PlacePicker(options) {
    this.map = options.map;
    this.wrap = options.wrap;
    this.status = options.status;
    this.onChange = options.onChange;
    this.buttons = options.buttons;
    this.mode = "point";
    this.layer = null; // the finished pin / line / area
    this.place = null;
    this.drawing = false;
    this.vertexCount = 0;
    this._bind();
  }

  PlacePicker.prototype._shape = function () {
    return this.mode === "line" ? "Line" : "Polygon";
  };

  PlacePicker.prototype._draw = function () {
    return this.map.pm.Draw[this._shape()];
  };

  PlacePicker.prototype._bind = function () {
    var self = this;
    var map = this.map;
    map.pm.setGlobalOptions({ snappable: false, allowSelfIntersection: false });

    map.on("click", function (event) {
      if (self.mode === "point") self.setPin(event.latlng, "drawn", "");
    });

    map.getContainer().addEventListener("keydown", function (event) {
      if (event.key !== "Enter" && event.key !== " ") return;
      if (event.target !== map.getContainer()) return; // a focused marker or control handles it
      event.preventDefault();
      self.atCross();
    });

    map.on("pm:drawstart", function (event) {
      self.drawing = true;
      self.vertexCount = 0;
      self._showButtons();
      event.workingLayer.on("pm:vertexadded", function () {
        self.vertexCount += 1;
        I.announce(self.status, I.t("pointAdded", { count: self.vertexCount }));
        self._showButtons();
      });
    });
    map.on("pm:drawend", function () {
      self.drawing = false;
      self._showButtons();
    });
    map.on("pm:create", function (event) {
      self._setLayer(event.layer);
      event.layer.pm.enable({ allowSelfIntersection: false });
      event.layer.on("pm:edit", function () {
        self._report(event.layer, "drawn", "");
        I.announce(self.status, I.t("pinMoved"));
      });
      var count = self._vertices(event.layer);
      self._report(event.layer, "drawn", "");
      I.announce(
        self.status,
        I.t(self.mode === "line" ? "lineDone" : "areaDone", { count: count })
      );
    });

    this.buttons.placeAtCross.addEventListener("click", function () {
      self.atCross();
    });
    this.buttons.addAtCross.addEventListener("click", function () {
      self.atCross();
    });
    this.buttons.undo.addEventListener("click", function () {
      if (!self.drawing || !self.vertexCount) return;
      self._draw()._removeLastVertex();
      self.vertexCount -= 1;
      I.announce(self.status, I.t("pointRemoved"));
      self._showButtons();
    });
    this.buttons.finish.addEventListener("click", function () {
      self.finish();
    });
    this.buttons.clear.addEventListener("click", function () {
      self.clear();
      I.announce(self.status, I.t("cleared"));
      if (self.mode === "line" || self.mode === "area") self._startDrawing();
      self.map.getContainer().focus();
    });
  };

  PlacePicker.prototype._vertices = function (layer) {
    var latlngs = layer.getLatLngs();
    while (Array.isArray(latlngs[0])) latlngs = latlngs[0];
    return latlngs.length;
  };

  /* Enter / Space / the buttons: a pin or the next point at the cross (the map's centre). */
  PlacePicker.prototype.atCross = function () {
    var centre = this.map.getCenter();
    if (this.mode === "point") {
      this.setPin(centre, "drawn", "");
    } else if (this.mode === "line" || this.mode === "area") {
      if (!this.drawing) this._startDrawing();
      this._draw()._createVertex({ latlng: centre });
    }
  };

  PlacePicker.prototype.finish = function () {
    if (!this.drawing) return;
    var needed = this.mode === "line" ? 2 : 3;
    if (this.vertexCount < needed) {
      I.announce(this.status, I.t("tooFewPoints"));
      return;
    }
    this._draw()._finishShape();
  };

  PlacePicker.prototype.setPin = function (latlng, source, description) {
    var self = this;
    if (this.mode !== "point") this.setMode("point");
    var marker = L.marker(latlng, {
      draggable: true,
      keyboard: true,
      title: I.t("pin"),
      alt: I.t("pin"),
    });
    marker.on("dragend", function () {
      self._report(marker, "drawn", "");
      I.announce(self.status, I.t("pinMoved"));
    });
    this._setLayer(marker);
    this._report(marker, source, description);
    if (description) {
      I.announce(this.status, I.t("addressChosen", { address: description }));
    } else {
      this._announceNearest(latlng);
    }
  };

  PlacePicker.prototype._announceNearest = function (latlng) {
    var self = this;
    var url =
      "/search/nearest.json?lon=" + latlng.lng.toFixed(6) + "&lat=" + latlng.lat.toFixed(6);
    I.request("GET", url).then(function (result) {
      var place = result.ok && result.data && result.data.results && result.data.results[0];
      I.announce(
        self.status,
        place ? I.t("pinPlaced", { address: place.label }) : I.t("pinPlacedNoAddress")
      );
    });
  };

  PlacePicker.prototype._setLayer = function (layer) {
    if (this.layer) this.map.removeLayer(this.layer);
    this.layer = layer;
    layer.addTo(this.map);
    this._showButtons();
  };

  PlacePicker.prototype._report = function (layer, source, description) {
    var geometry = layer.toGeoJSON(7).geometry;
    this.place = { geometry: geometry, source: source, description: description || "" };
    this.onChange(this.place);
  };

  PlacePicker.prototype._startDrawing = function () {
    this.map.pm.enableDraw(this._shape(), {
      finishOn: "dblclick",
      snappable: false,
      tooltips: false,
      continueDrawing: false,
    });
  };

  PlacePicker.prototype.clear = function () {
    if (this.map.pm.globalDrawModeEnabled()) this.map.pm.disableDraw();
    this.drawing = false;
    this.vertexCount = 0;
    if (this.layer) this.map.removeLayer(this.layer);
    this.layer = null;
    if (this.place) {
      this.place = null;
      this.onChange(null);
    }
    this._showButtons();
  };

  PlacePicker.prototype.setMode = function (mode) {
    if (mode === this.mode) return;
    this.clear();
    this.mode = mode;
    this.wrap.classList.toggle("map--crosshair", mode !== "none");
    if (mode === "line" || mode === "area") {
      this._startDrawing();
      I.announce(this.status, I.t(mode === "line" ? "lineStarted" : "areaStarted"));
    }
    if (mode === "none") {
      this.place = { geometry: null, source: "none", description: "" };
      this.onChange(this.place);
      I.announce(this.status, I.t("noPlace"));
    }
    this._showButtons();
  };

  PlacePicker.prototype._showButtons = function () {
    var drawingMode = this.mode === "line" || this.mode === "area";
    this.buttons.placeAtCross.hidden = this.mode !== "point";
    this.buttons.addAtCross.hidden = !drawingMode || (!this.drawing && !!this.layer);
    this.buttons.undo.hidden = !drawingMode || !this.drawing || !this.vertexCount;
    this.buttons.finish.hidden = !drawingMode || !this.drawing;
    this.buttons.clear.hidden = !this.layer;
  };

  window.InnspillPlace = { PlacePicker: PlacePicker };
})();
