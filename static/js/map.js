/* Draws a map described by portal/geo.py (its script file is one call of drawMap with the
   description as JSON): the tiles, the markers with their numbered DivIcon, the outlines of
   areas, their popups, the framing. Every text arrives as data and reaches the page through
   Leaflet's DOM methods; the HTML of icons and popups was escaped by the server.
   Loaded after Leaflet and map-spread.js (templates/macros/map.html). */
window.drawMap = function (d) {
  var container = document.getElementById(d.id);
  if (!container || !window.L) { return; }
  // The container (and the box around it, with its caption) stay hidden without JS.
  var box = container.closest("[data-map-box]");
  if (box) { box.hidden = false; }
  container.hidden = false;
  var options = Object.assign({center: d.center}, d.options);
  var map = L.map(container, options);
  L.tileLayer(d.tiles.url, d.tiles.options).addTo(map);
  d.layers.forEach(function (layer) {
    var drawn = layer.kind === "polygon"
      ? L.polygon(layer.latlngs, layer.options)
      : L.marker(layer.latlng, Object.assign({icon: L.divIcon(layer.icon)}, layer.options));
    if (layer.popup) { drawn.bindPopup(layer.popup, d.popup); }
    drawn.addTo(map);
  });
  if (d.fit) { map.fitBounds(d.fit.bounds, d.fit.options); }
  L.control.zoom({zoomInTitle: d.texts.zoomInTitle, zoomOutTitle: d.texts.zoomOutTitle})
    .addTo(map);
  if (d.spread && window.spreadMarkers) { spreadMarkers(map, d.spread[0], d.spread[1]); }
  // Leaflet names the popup's close button in English only.
  map.on("popupopen", function (e) {
    var close = e.popup.getElement().querySelector(".leaflet-popup-close-button");
    if (close) { close.setAttribute("aria-label", d.texts.close); }
  });
  // On a phone one finger scrolls the page (no scroll trap); two fingers or the buttons
  // zoom, and the list beside the map gives the same information.
  if (L.Browser.mobile) { map.dragging.disable(); }
};
