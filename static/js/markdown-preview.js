/* Live preview of Markdown fields in the back office. Without JavaScript the form's "Aperçu"
   button shows the same thing: the server renders the text through portal/sanitize.py, so the
   preview is exactly what the public page will keep. */
(function () {
  "use strict";
  var containers = document.querySelectorAll("[data-preview-url][data-preview-for]");
  Array.prototype.forEach.call(containers, function (box) {
    var form = box.closest("form");
    var textarea = box.querySelector("textarea");
    var token = form && form.querySelector("input[name=csrf_token]");
    if (!textarea || !token || !window.fetch) { return; }
    var output = document.createElement("section");
    output.className = "preview live-preview";
    output.setAttribute("aria-label", box.getAttribute("data-preview-label"));
    var title = document.createElement("h2");
    title.textContent = box.getAttribute("data-preview-label");
    var body = document.createElement("div");
    body.className = "prose";
    output.appendChild(title);
    output.appendChild(body);
    box.appendChild(output);
    var timer = null;
    var sent = 0;
    function refresh() {
      var ticket = ++sent;
      var data = new FormData();
      data.append("text", textarea.value);
      data.append("csrf_token", token.value);
      fetch(box.getAttribute("data-preview-url"), {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "X-CSRFToken": token.value }
      }).then(function (response) {
        return response.ok ? response.text() : null;
      }).then(function (html) {
        // Only the answer to the latest keystroke; the HTML comes from sanitize.py.
        if (html !== null && ticket === sent) { body.innerHTML = html; }
      }).catch(function () { /* offline: the "Aperçu" button still works */ });
    }
    textarea.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 400);
    });
    refresh();
  });
})();
