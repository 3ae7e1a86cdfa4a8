/* The pay page's countdown: "mm:ss left", from the seconds the server rendered. Re-binds
   after HTMX swaps the status box. No framework: one timer per page. */
(function () {
  "use strict";
  var timer = null;

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function bind() {
    var box = document.querySelector("[data-countdown]");
    if (timer) { clearInterval(timer); timer = null; }
    if (!box) { return; }
    var left = parseInt(box.getAttribute("data-countdown"), 10) || 0;
    var clock = box.querySelector(".pay-clock");
    var started = Date.now();
    function tick() {
      var remaining = Math.max(left - Math.floor((Date.now() - started) / 1000), 0);
      if (clock) { clock.textContent = pad(Math.floor(remaining / 60)) + ":" + pad(remaining % 60); }
      if (remaining === 0 && timer) { clearInterval(timer); timer = null; }
    }
    tick();
    timer = setInterval(tick, 1000);
  }

  document.addEventListener("DOMContentLoaded", bind);
  document.addEventListener("htmx:afterSwap", bind);
})();
