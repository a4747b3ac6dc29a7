/* Pick a point on a map in the back office: a tap fills the latitude and longitude fields,
   typing them moves the marker. Without JavaScript (or Leaflet) the fields are typed by hand
   and the map stays hidden. */
(function () {
  "use strict";
  if (!window.L) { return; }
  var ROUBAIX = [50.6901, 3.1817];
  Array.prototype.forEach.call(document.querySelectorAll("[data-point-picker]"), function (box) {
    var lat = document.getElementById(box.getAttribute("data-lat"));
    var lon = document.getElementById(box.getAttribute("data-lon"));
    if (!lat || !lon) { return; }
    box.hidden = false;
    var map = L.map(box.querySelector(".picker-map"), { scrollWheelZoom: false });
    L.tileLayer(box.getAttribute("data-tile-url"), { maxZoom: 19 }).addTo(map);
    var marker = null;
    function current() {
      var a = parseFloat(lat.value), b = parseFloat(lon.value);
      return isNaN(a) || isNaN(b) ? null : [a, b];
    }
    function place(point) {
      if (!point) { return; }
      if (marker) { marker.setLatLng(point); } else { marker = L.marker(point).addTo(map); }
    }
    var start = current();
    map.setView(start || ROUBAIX, start ? 17 : 14);
    place(start);
    map.on("click", function (event) {
      lat.value = event.latlng.lat.toFixed(6);
      lon.value = event.latlng.lng.toFixed(6);
      place([event.latlng.lat, event.latlng.lng]);
    });
    [lat, lon].forEach(function (input) {
      input.addEventListener("change", function () { place(current()); });
    });
  });
})();
