// Directions links: on Android, hand the destination to the visitor's own maps app.
// Each link's href is an https address that works everywhere (Apple's Maps app on iPhones
// and Macs, a maps web page elsewhere); Android also understands a geo: URI, which it gives
// to whichever maps app the visitor chose. Desktop browsers do nothing with geo:, so the
// swap is made on Android only. Without JavaScript the https link is used.
(function () {
  "use strict";
  if (!/Android/i.test(navigator.userAgent)) {
    return;
  }
  function swap(root) {
    root.querySelectorAll("a[data-geo]").forEach(function (link) {
      link.href = link.dataset.geo;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    swap(document);
  });
  // The meeting finder replaces its results in place (htmx).
  document.addEventListener("htmx:afterSwap", function (event) {
    swap(event.target);
  });
})();
