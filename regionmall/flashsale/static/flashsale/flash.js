/* Flash-sale countdowns: every [data-countdown] ticks each second (HH:MM:SS, or "N d HH:MM:SS"
   when further off); [data-reload-at-zero] reloads the page when it reaches zero, so a sale
   opens (the buy button appears) without the shopper refreshing by hand. */
(function () {
  "use strict";

  function pad(n) { return n < 10 ? "0" + n : String(n); }

  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      var end = Date.parse(el.getAttribute("data-countdown"));
      if (isNaN(end)) { return; }
      var left = Math.max(0, Math.floor((end - now) / 1000));
      if (left === 0) {
        if (el.hasAttribute("data-reload-at-zero") && !el.dataset.reloading) {
          el.dataset.reloading = "1";
          window.setTimeout(function () { window.location.reload(); }, 800);
        }
        if (el.getAttribute("data-ended")) { el.textContent = el.getAttribute("data-ended"); }
        return;
      }
      var d = Math.floor(left / 86400), h = Math.floor((left % 86400) / 3600);
      var m = Math.floor((left % 3600) / 60), s = left % 60;
      el.textContent = (d ? d + (el.getAttribute("data-day") || "d") + " " : "") +
        pad(h) + ":" + pad(m) + ":" + pad(s);
    });
  }

  tick();
  window.setInterval(tick, 1000);
})();
