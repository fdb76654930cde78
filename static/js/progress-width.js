// Progress bars take their width from data-width (a percentage): the Content-Security-Policy
// allows no style="" attributes, but setting a style from a script file is allowed.
(function () {
  "use strict";
  document.querySelectorAll("[data-width]").forEach(function (bar) {
    var value = parseFloat(bar.getAttribute("data-width"));
    if (!isNaN(value)) {
      bar.style.width = Math.max(0, Math.min(100, value)) + "%";
    }
  });
})();
