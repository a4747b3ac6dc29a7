/* "Utiliser ma position": fills the latitude and longitude fields from the phone's position
   (the point picker then shows it). Without JavaScript or permission, the street list works. */
(function () {
  "use strict";
  if (!navigator.geolocation) { return; }
  Array.prototype.forEach.call(document.querySelectorAll("[data-locate]"), function (button) {
    var lat = document.getElementById(button.getAttribute("data-lat"));
    var lon = document.getElementById(button.getAttribute("data-lon"));
    if (!lat || !lon) { return; }
    button.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (position) {
        lat.value = position.coords.latitude.toFixed(6);
        lon.value = position.coords.longitude.toFixed(6);
        lat.dispatchEvent(new Event("change", { bubbles: true }));
      }, function () {
        button.insertAdjacentText("afterend", " " + button.getAttribute("data-error"));
      }, { enableHighAccuracy: true, timeout: 10000 });
    });
  });
})();
