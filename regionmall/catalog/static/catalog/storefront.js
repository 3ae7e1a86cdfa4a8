/* Catalog storefront behaviour (progressive: every page works without it).
   - Listing filters: a price bucket and a typed price range exclude each other; on wide
     screens the filter panel stays open as a sidebar.
   - Product page: picking a value on every spec axis shows that SKU's price and wholesale
     tiers, and marks its row in the SKU table. */
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.form || input.form.id !== "listing-form") return;
    if (input.name === "price") {
      input.form.querySelectorAll("[data-price-range] input").forEach(function (el) { el.value = ""; });
    } else if (input.name === "ymin" || input.name === "ymax") {
      input.form.querySelectorAll("[data-price-buckets] input").forEach(function (el) {
        el.checked = el.value === "";
      });
    }
  }, true);

  function openWidePanel() {
    var panel = document.getElementById("filter-panel");
    if (panel && window.matchMedia("(min-width: 960px)").matches) panel.open = true;
  }

  function skuPicker() {
    var picker = document.querySelector("[data-sku-picker]");
    var data = document.getElementById("sku-data");
    if (!picker || !data) return;
    var skus = JSON.parse(data.textContent);
    var chosen = picker.querySelector("[data-sku-chosen]");
    var tiers = picker.querySelector("[data-sku-tiers]");
    var axes = Array.prototype.map.call(picker.querySelectorAll("fieldset"), function (set) {
      var first = set.querySelector("input[data-axis]");
      return first ? first.dataset.axis : null;
    }).filter(Boolean);

    function update() {
      var spec = {};
      picker.querySelectorAll("input[data-axis]:checked").forEach(function (el) {
        spec[el.dataset.axis] = el.value;
      });
      document.querySelectorAll("tr.is-chosen").forEach(function (row) { row.classList.remove("is-chosen"); });
      var complete = axes.every(function (axis) { return axis in spec; });
      var sku = complete && skus.find(function (s) {
        return axes.every(function (axis) { return s.spec[axis] === spec[axis]; });
      });
      if (!sku) {
        chosen.hidden = !complete;
        if (complete) {
          chosen.querySelector("[data-sku-label]").textContent = picker.dataset.unavailable || "—";
          chosen.querySelector("[data-sku-price]").textContent = "";
          chosen.querySelector("[data-sku-code]").textContent = "";
        }
        tiers.hidden = true;
        return;
      }
      chosen.hidden = false;
      chosen.querySelector("[data-sku-label]").textContent = axes.map(function (a) { return spec[a]; }).join(" / ");
      chosen.querySelector("[data-sku-price]").textContent = sku.price;
      chosen.querySelector("[data-sku-code]").textContent = sku.code;
      tiers.hidden = !sku.tiers.length;
      tiers.textContent = sku.tiers.map(function (t) {
        return (picker.dataset.tierFormat || "≥{n}: {price}").replace("{n}", t[0]).replace("{price}", t[1]);
      }).join("　");
      var row = document.querySelector('tr[data-sku-row="' + sku.id + '"]');
      if (row) row.classList.add("is-chosen");
      // The add-to-cart form follows the picker (it also works alone, without JavaScript).
      var select = document.querySelector("[data-sku-select]");
      if (select) select.value = String(sku.id);
    }

    picker.addEventListener("change", update);
  }

  document.addEventListener("DOMContentLoaded", function () {
    openWidePanel();
    skuPicker();
  });
})();
