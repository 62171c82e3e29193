/* What the participation map (home.js) draws: each input as a circle on one canvas, lines
 * and areas as shapes when zoomed in, and numbers per place when a view holds too many.
 *
 * Innspill.inputLayers(map, {inputsUrl, container}) adds the layers to the map and returns
 * what home.js's loading needs: drawDots and drawPoints (in slices, resolving with the number
 * drawn), drawShapes, drawCells, clear, inView, and the renderer (for other shapes on its canvas).
 */
(function () {
  "use strict";
  var I = window.Innspill;

  /* The outline of a theme's shape (circle, triangle, square, diamond, triangle pointing
   * down) of radius r around x, y, so themes differ by shape as well as by colour
   * (docs/resident-map.md). */
  function shapePath(ctx, shape, x, y, r) {
    ctx.beginPath();
    if (shape === "square") {
      ctx.rect(x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7);
    } else if (shape === "diamond") {
      ctx.moveTo(x, y - r * 1.15);
      ctx.lineTo(x + r * 1.15, y);
      ctx.lineTo(x, y + r * 1.15);
      ctx.lineTo(x - r * 1.15, y);
    } else if (shape === "triangle" || shape === "triangle-down") {
      var down = shape === "triangle-down" ? -1 : 1;
      ctx.moveTo(x, y - down * r * 1.2);
      ctx.lineTo(x + r * 1.1, y + down * r * 0.8);
      ctx.lineTo(x - r * 1.1, y + down * r * 0.8);
    } else {
      ctx.arc(x, y, r / 1.2, 0, Math.PI * 2); // a circle: the size Leaflet's own would have
    }
    ctx.closePath();
  }

  /* A canvas marker drawn as its theme's shape. Clicks still hit the circle of the marker's
   * radius. (On an SVG renderer it stays Leaflet's circle.)
   * Leaflet sets every colour, width and dash of the canvas for each marker it draws, and
   * reading a colour string costs more than drawing a dot; markers drawn one after another
   * often share their look (options.look), so the canvas keeps its look (renderer._look) and
   * only a marker with another look sets it (B8, docs/benchmarks.md). (A copy of a sprite
   * drawn once per look was tried: slower on a software-drawn canvas, headless Chromium.) */
  var ShapeMarker = L.CircleMarker.extend({
    /* `look`: the options, one object shared by every marker of one look (lookOptions), not a
     * copy per marker: 10 000 markers are made for one view. Nothing changes a marker's
     * options after it is made (no setStyle on these). */
    initialize: function (latlng, look) {
      this.options = look;
      this._latlng = L.latLng(latlng);
      this._radius = look.radius;
    },
    // The map's attribution control asks each layer added for its attribution and, when it
    // has the method, listens for the layer's removal: a dot has none, so no such listener.
    getAttribution: null,
    /* A click calls options.onItemClick(item) of the look, without a listener per marker
     * (the canvas asks listens() before it fires a click at a marker). */
    listens: function (type) {
      if (type === "click" && this.options.onItemClick) return true;
      return L.CircleMarker.prototype.listens.apply(this, arguments);
    },
    fire: function (type) {
      if (type === "click" && this.options.onItemClick) this.options.onItemClick(this.item);
      return L.CircleMarker.prototype.fire.apply(this, arguments);
    },
    _updatePath: function () {
      var renderer = this._renderer;
      if (!renderer._ctx) return L.CircleMarker.prototype._updatePath.call(this);
      if (!renderer._drawing || this._empty()) return;
      var ctx = renderer._ctx;
      var options = this.options;
      if (renderer._look !== options.look) {
        renderer._look = options.look;
        ctx.setLineDash([]);
        ctx.fillStyle = options.fillColor;
        ctx.strokeStyle = options.color;
        ctx.lineWidth = options.weight;
        ctx.lineJoin = "round";
      }
      shapePath(ctx, options.symbol, this._point.x, this._point.y, this._radius * 1.2);
      ctx.globalAlpha = options.fillOpacity;
      ctx.fill();
      ctx.globalAlpha = 1;
      ctx.stroke();
    },
  });

  var SHAPES_FROM_ZOOM = 15;
  // Lines and areas get their shapes only in views with few inputs: a thousand overlapping
  // areas cannot be read, and each costs far more to draw than a dot. Dense views get small dots.
  var FEW = 2000;
  // Work per task while drawing: big enough that 10 000 circles take few tasks (each task and
  // the garbage collection after it cost time), small enough that a tap is answered at once.
  var SLICE_MS = 40;
  var ZOOM_IN_STEPS = 2; // a number opens two zoom levels closer: its place fills ~4 cells

  /* A canvas that can hold its redraws while thousands of circles are added in slices, and then
   * draw them all in one frame: otherwise every frame between slices redraws everything added
   * so far, and one redraw of 10 000 circles costs as much as making them. Uses Leaflet 1.9's
   * internal _requestRedraw/_redraw: re-check them when upgrading Leaflet. */
  var HeldCanvas = L.Canvas.extend({
    hold: function () {
      this._held = true;
    },
    release: function () {
      if (!this._held) return;
      this._held = false;
      this._redrawBounds = null; // null: clear and draw the whole canvas
      if (this._map && !this._redrawRequest) {
        this._redrawRequest = L.Util.requestAnimFrame(this._redraw, this);
      }
    },
    _requestRedraw: function (layer) {
      if (!this._held) L.Canvas.prototype._requestRedraw.call(this, layer);
    },
    // Lines, areas and Leaflet's own markers set the canvas's look themselves: forget the
    // look kept by ShapeMarker, so the next marker sets its own again.
    _fillStroke: function (ctx, layer) {
      this._look = null;
      L.Canvas.prototype._fillStroke.call(this, ctx, layer);
    },
    _draw: function () {
      this._look = null;
      L.Canvas.prototype._draw.call(this);
    },
  });

  function nextTask(callback) {
    // A message is a new task at once; setTimeout(0) may wait 4 ms after a few nested calls.
    var channel = new MessageChannel();
    channel.port1.onmessage = callback;
    channel.port2.postMessage(null);
  }

  function aborted() {
    var error = new Error("aborted");
    error.name = "AbortError";
    return error;
  }

  function inputLayers(map, options) {
    var inputsUrl = options.inputsUrl;
    var container = options.container;
    var renderer = new HeldCanvas();
    // One canvas circle per input. A plain layer group: a feature group would make itself the
    // event parent of every circle (~25 ms for 10 000); a click goes to openPopup through the look.
    var pointLayer = L.layerGroup().addTo(map);
    var popup = L.popup(); // one popup, shared: 10 000 circles need no popup of their own
    var shapeLayer = L.layerGroup().addTo(map); // lines and areas, zoomed in
    var cellLayer = L.layerGroup().addTo(map); // numbers per place, zoomed out
    var items = []; // the inputs drawn as points: {id, geometry, colour, marker, shape}

    function clearDrawn() {
      pointLayer.clearLayers();
      shapeLayer.clearLayers();
      cellLayer.clearLayers();
      items = [];
    }

    /* Open the shared popup on an input: the input itself is fetched the first time (the map's
     * request carries only what drawing needs), and kept. */
    function openPopup(item) {
      if (!item.popup) {
        var box = (item.popup = I.el("div", null, I.el("p", { text: I.t("loading") })));
        I.request("GET", inputsUrl + encodeURIComponent(item.id) + "/").then(function (result) {
          box.textContent = "";
          if (result.ok && result.data) box.appendChild(I.inputSummary(I.inputInfo(result.data)));
          else {
            box.appendChild(I.el("p", { text: I.t("inputLoadFailed") }));
            item.popup = null; // try again next time
          }
          if (popup.isOpen()) popup.update();
        });
      }
      popup.setLatLng(item.marker.getLatLng()).setContent(item.popup).openOn(map);
    }
    var looks = {}; // the shared options of each look (ShapeMarker)
    function lookOptions(colour, symbol, radius) {
      var key = symbol + colour + radius;
      if (!looks[key]) {
        looks[key] = L.Util.extend(Object.create(ShapeMarker.prototype.options), {
          symbol: symbol,
          look: key, // markers with the same look share canvas state
          renderer: renderer,
          radius: radius,
          color: "#1b1b1b",
          weight: radius > 4 ? 1.5 : 1,
          fillColor: colour,
          fillOpacity: 0.95,
          onItemClick: openPopup,
        });
      }
      return looks[key];
    }

    function makeMarker(item, anchor, symbol, radius) {
      item.marker = new ShapeMarker(anchor, lookOptions(item.colour, symbol, radius));
      item.marker.item = item;
      return item;
    }

    /* An input of the list (a GeoJSON Feature) as a marker. */
    function itemFor(feature, radius) {
      var anchor = I.geometryAnchor(feature.geometry);
      if (!anchor) return null;
      var themes = (feature.properties || {}).themes || [];
      var item = {
        id: feature.id,
        geometry: feature.geometry.type === "Point" ? null : feature.geometry,
        colour: I.themeColour(themes),
        marker: null,
        shape: null,
        popup: null,
      };
      return makeMarker(item, anchor, I.themeSymbol(themes), radius);
    }

    /* Put the inputs on the map in slices of SLICE_MS with the canvas held, then draw it once.
     * `count` inputs; `make(n, radius)` makes the n-th one's item (or null: nothing to draw).
     * Resolves with the number drawn. */
    function drawEach(count, make, signal) {
      renderer.hold();
      clearDrawn();
      var few = count <= FEW;
      var withShapes = few && map.getZoom() >= SHAPES_FROM_ZOOM;
      var radius = few ? 6 : 4;
      var near = map.getBounds().pad(0.5);
      return new Promise(function (resolve, reject) {
        var i = 0;
        function slice() {
          if (signal.aborted) {
            renderer.release();
            return reject(aborted());
          }
          var until = performance.now() + SLICE_MS;
          while (i < count) {
            var item = make(i++, radius);
            if (item) {
              items.push(item);
              pointLayer.addLayer(item.marker);
              if (withShapes) addShape(item, near);
            }
            if ((i & 127) === 0 && performance.now() > until) break;
          }
          if (i < count) return nextTask(slice);
          renderer.release();
          resolve(items.length);
        }
        slice();
      });
    }

    /* GeoJSON Features of the list (with their geometries: lines and areas get shapes). */
    function drawPoints(features, signal) {
      return drawEach(
        features.length,
        function (n, radius) {
          return itemFor(features[n], radius);
        },
        signal
      );
    }

    /* The answer of /api/v1/inputs/dots/: ids, lon/lat pairs, and per input the index of its
     * list of themes (each list's colour and shape found once). */
    function drawDots(dots, signal) {
      var xy = dots.coordinates;
      var looks = dots.theme_sets.map(function (themes) {
        return { colour: I.themeColour(themes), symbol: I.themeSymbol(themes) };
      });
      return drawEach(
        dots.ids.length,
        function (n, radius) {
          var look = looks[dots.themes[n]];
          var item = {
            id: dots.ids[n],
            geometry: null,
            colour: look.colour,
            marker: null,
            shape: null,
            popup: null,
          };
          return makeMarker(item, [xy[2 * n + 1], xy[2 * n]], look.symbol, radius);
        },
        signal
      );
    }

    /* A line or area as its shape too (zoomed in), if it is near the view. */
    function addShape(item, near) {
      if (!item.geometry || !near.contains(item.marker.getLatLng())) return;
      if (!item.shape) {
        // The bare line or polygon, without a GeoJSON layer group around each one.
        item.shape = L.GeoJSON.geometryToLayer(item.geometry, {
          renderer: renderer,
          color: item.colour,
          weight: 4,
          fillOpacity: 0.15,
          interactive: false,
        });
      }
      shapeLayer.addLayer(item.shape);
    }

    function inView(bounds) {
      var count = 0;
      items.forEach(function (item) {
        if (bounds.contains(item.marker.getLatLng())) count += 1;
      });
      return count;
    }

    /* After zooming within a view that is loaded whole: shapes from SHAPES_FROM_ZOOM only, and
     * only when the view holds few inputs. */
    function drawShapes() {
      renderer.hold();
      shapeLayer.clearLayers();
      var view = map.getBounds();
      if (map.getZoom() >= SHAPES_FROM_ZOOM && inView(view) <= FEW) {
        var near = view.pad(0.5);
        items.forEach(function (item) {
          addShape(item, near);
        });
      }
      renderer.release();
    }

    function drawCells(grid) {
      clearDrawn();
      (grid.features || []).forEach(function (cell) {
        var c = cell.geometry.coordinates;
        var count = cell.properties.count;
        var marker = L.marker([c[1], c[0]], { icon: I.countIcon(count), keyboard: true });
        function zoomIn() {
          container.focus(); // the number disappears: keep the keyboard on the map
          map.setView(marker.getLatLng(), Math.min(map.getZoom() + ZOOM_IN_STEPS, map.getMaxZoom()));
        }
        marker.on("click", zoomIn);
        marker.on("keypress", function (event) {
          var key = event.originalEvent && event.originalEvent.key;
          if (key === "Enter" || key === " ") zoomIn();
        });
        cellLayer.addLayer(marker);
      });
      var drawn = (grid.features || []).reduce(function (sum, cell) {
        return sum + cell.properties.count;
      }, 0);
      return drawn;
    }

    return {
      FEW: FEW,
      SHAPES_FROM_ZOOM: SHAPES_FROM_ZOOM,
      clear: clearDrawn,
      drawCells: drawCells,
      drawDots: drawDots,
      drawPoints: drawPoints,
      drawShapes: drawShapes,
      inView: inView,
      renderer: renderer,
    };
  }

  I.inputLayers = inputLayers;
})();
