/* Promotion form: show only the fields of the chosen kind (the form works without this:
   every field is then shown and the server uses the chosen kind's own). */
(function () {
  "use strict";
  function sync(form) {
    var select = form.querySelector("select[name=kind]");
    var kind = select ? select.value : (form.querySelector("input[name=kind]") || {}).value;
    form.querySelectorAll("[data-kinds]").forEach(function (el) {
      el.hidden = el.getAttribute("data-kinds").split(" ").indexOf(kind) < 0;
    });
    var note = form.querySelector("[data-kind-note]");
    if (note) { note.hidden = true; }
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-promotion-form]").forEach(function (form) {
      sync(form);
      form.addEventListener("change", function (e) {
        if (e.target.name === "kind") { sync(form); }
      });
    });
  });
})();
