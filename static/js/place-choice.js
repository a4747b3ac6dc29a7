/* Place questions of concertations: the popup of a place on the map has a button "Choisir ce
   lieu" (data-choose = the id of its radio in the list below the map); a tap ticks that radio
   and moves the focus to it, so the list, which is the map without JavaScript, always says
   what was chosen. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-choose]") : null;
    if (!button) { return; }
    var input = document.getElementById(button.getAttribute("data-choose"));
    if (!input || input.type !== "radio") { return; }
    input.checked = true;
    input.dispatchEvent(new Event("change", { bubbles: true }));
    input.focus();
  });
})();
