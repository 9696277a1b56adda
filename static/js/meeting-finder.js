// The meeting finder: after a search, take keyboard and screen-reader users to the results
// heading, and on a phone scroll it to the top, so the first meeting is in the first screen.
// Both when the search was loaded as a page (the form has data-show-results) and when htmx
// sent it from the search bar without reloading. A ticked filter keeps the focus where it
// is. (static/js/search-page.js opens the filters on a wide screen, as on the search page.)
(function () {
  "use strict";

  function showResults() {
    var heading = document.getElementById("results-heading");
    if (!heading) {
      return;
    }
    // When the first meeting is already wholly in sight (on a laptop), move the focus, not
    // the page.
    var first = document.querySelector("#results .result-list > li");
    var inSight = first && first.getBoundingClientRect().bottom <= window.innerHeight;
    heading.focus({ preventScroll: true });
    if (!inSight) {
      heading.scrollIntoView({ block: "start" });
    }
  }

  function setUp() {
    var form = document.getElementById("meeting-finder");
    if (form && form.hasAttribute("data-show-results") && !window.location.hash) {
      showResults();
    }
    document.body.addEventListener("htmx:afterSettle", function (event) {
      var config = event.detail.requestConfig;
      if (event.detail.target && event.detail.target.id === "results" && config &&
          config.elt && config.elt.id === "meeting-finder") {
        showResults();
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
