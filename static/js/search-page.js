// The search page's layout helpers. Without this script the page works the same: the results
// already come first after the search bar, and the filters are a disclosure after them.
//
// - After a search (or on a kind of help's page), the results heading takes the keyboard focus (screen readers read it),
//   and on a phone the page scrolls to it, so the results fill the first screen.
// - On a wide screen, where the filters have their own column, the filters open by themselves.
// - The "Filters (2 on)" link beside the count opens the filters and moves focus there.
(function () {
  "use strict";

  var wide = window.matchMedia("(min-width: 64rem)");

  function showResults() {
    var heading = document.getElementById("results-heading");
    if (!heading) {
      return;
    }
    var top = heading.getBoundingClientRect().top;
    // On a laptop the results are already in sight: move the focus, not the page.
    var inSight = wide.matches && top < window.innerHeight * 0.75;
    heading.focus({ preventScroll: true });
    if (!inSight) {
      heading.scrollIntoView({ block: "start" });
    }
  }

  function openFilters(focus) {
    var filters = document.getElementById("filters");
    if (!filters) {
      return;
    }
    filters.open = true;
    if (focus) {
      filters.querySelector("summary").focus();
    }
  }

  function setUp() {
    if (wide.matches) {
      openFilters(false);
    }
    var link = document.querySelector(".filters-link");
    if (link) {
      link.addEventListener("click", function (event) {
        // Focus the filters' summary rather than follow the #link, which would leave the
        // focus on the page itself.
        event.preventDefault();
        openFilters(true);
      });
    }
    // A search was made, or a kind of help chosen (not just the empty search page), and no
    // #link asks for another place.
    var form = document.getElementById("find-help");
    if (form && form.hasAttribute("data-show-results") && !window.location.hash) {
      showResults();
    }
    // A search sent by htmx from the search bar (not a ticked filter: its column keeps the focus).
    document.body.addEventListener("htmx:afterSettle", function (event) {
      var config = event.detail.requestConfig;
      if (event.detail.target && event.detail.target.id === "results" && config &&
          config.elt && config.elt.id === "find-help") {
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
