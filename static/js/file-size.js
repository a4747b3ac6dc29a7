/* A file over the upload limit is refused as soon as it is chosen, so the form is never sent
   (the server would answer with its "file too big" page). Without JavaScript, the server still
   checks the size: this only saves the trip. The limit and the message come from the input's
   data-max-bytes and data-too-big attributes (portal/backoffice/fields.py). */
(function () {
  "use strict";
  var inputs = document.querySelectorAll("input[type=file][data-max-bytes]");
  Array.prototype.forEach.call(inputs, function (input) {
    var limit = parseInt(input.getAttribute("data-max-bytes"), 10);
    var wrapper = input.closest(".field");
    if (!limit || !wrapper) { return; }
    // The live region exists before any message, so screen readers announce what enters it.
    var live = document.createElement("div");
    live.setAttribute("aria-live", "assertive");
    var errorId = input.id + "-taille";
    input.parentNode.insertBefore(live, input);
    var described = input.getAttribute("aria-describedby") || "";

    function show(message) {
      live.textContent = "";
      var error = document.createElement("p");
      error.className = "error";
      error.id = errorId;
      error.textContent = message;
      live.appendChild(error);
      wrapper.classList.add("field-error");
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", (described + " " + errorId).trim());
    }

    function clear() {
      live.textContent = "";
      // The server's own error (if any) still stands until the next sending.
      if (!document.getElementById(input.id + "-erreur")) {
        wrapper.classList.remove("field-error");
        input.removeAttribute("aria-invalid");
      }
      if (described) {
        input.setAttribute("aria-describedby", described);
      } else {
        input.removeAttribute("aria-describedby");
      }
    }

    input.addEventListener("change", function () {
      var tooBig = Array.prototype.some.call(input.files || [], function (file) {
        return file.size > limit;
      });
      if (tooBig) {
        input.value = "";
        show(input.getAttribute("data-too-big"));
      } else {
        clear();
      }
    });
  });
})();
