/* Group buy pages: ticking countdowns, copying the share link, re-pricing the group checkout
   when the spec or quantity changes (a plain GET of the same page: works without htmx). */
(function () {
  "use strict";

  function pad(n) { return n < 10 ? "0" + n : String(n); }

  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      var end = Date.parse(el.getAttribute("data-countdown"));
      if (isNaN(end)) { return; }
      var left = Math.max(0, Math.floor((end - now) / 1000));
      if (left === 0 && el.getAttribute("data-ended")) {
        el.textContent = el.getAttribute("data-ended");
        return;
      }
      var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
      el.textContent = pad(h) + ":" + pad(m) + ":" + pad(s);
    });
  }

  function wireCopy() {
    document.querySelectorAll("[data-copy-link]").forEach(function (button) {
      button.addEventListener("click", function () {
        var input = document.querySelector("[data-share-link]");
        if (!input) { return; }
        input.select();
        var done = function () { button.textContent = button.getAttribute("data-copied"); };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(input.value).then(done, function () {});
        } else if (document.execCommand("copy")) {
          done();
        }
      });
    });
  }

  function wireReprice() {
    document.querySelectorAll("[data-reprice]").forEach(function (field) {
      field.addEventListener("change", function () {
        var form = field.form, params = new URLSearchParams();
        ["sku", "qty", "address", "note", "idempotency_key"].forEach(function (name) {
          var el = form.querySelector("[name=" + name + "]:checked") ||
                   form.querySelector("select[name=" + name + "], input[type=hidden][name=" +
                                      name + "], input[type=text][name=" + name + "]");
          if (el && el.value) { params.set(name, el.value); }
        });
        window.location.assign(window.location.pathname + "?" + params.toString());
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    tick();
    window.setInterval(tick, 1000);
    wireCopy();
    wireReprice();
  });
})();
