/* Catalog console: add and remove repeated rows (extra attributes, tier prices) without a
   round trip. Rows are plain repeated inputs, so nothing needs renumbering. No dependencies.
   <button data-add-row="#target" data-template="#tpl" data-prefix="sku-3"> appends a copy of
   the template (with __prefix__ replaced); <button data-remove-row> removes its .repeat-row. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var add = event.target.closest("[data-add-row]");
    if (add) {
      event.preventDefault();
      var target = document.querySelector(add.getAttribute("data-add-row"));
      var template = document.querySelector(add.getAttribute("data-template"));
      if (!target || !template) { return; }
      var html = template.innerHTML.split("__prefix__").join(add.getAttribute("data-prefix") || "");
      target.insertAdjacentHTML("beforeend", html);
      var inputs = target.querySelectorAll("input");
      if (inputs.length) { inputs[inputs.length - 2 >= 0 ? inputs.length - 2 : 0].focus(); }
      return;
    }
    var remove = event.target.closest("[data-remove-row]");
    if (remove) {
      event.preventDefault();
      var row = remove.closest(".repeat-row");
      if (row) { row.remove(); }
    }
  });
})();
