// For online meetings: say when the meeting starts on the visitor's own clock, when the
// visitor's time zone differs from the meeting's. The page already says the meeting's local
// time; this only adds "your time". The visitor's zone never leaves the browser.
(function () {
  "use strict";

  function show(root) {
    var visitorZone;
    try {
      visitorZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    } catch (error) {
      return;
    }
    var times = (root || document).querySelectorAll("time[data-local-time]");
    times.forEach(function (element) {
      var instant = new Date(element.getAttribute("datetime"));
      var meetingZone = element.getAttribute("data-zone");
      var target = element.parentNode.parentNode.querySelector(".your-time") ||
        element.parentNode.querySelector(".your-time");
      if (!target || isNaN(instant.getTime())) {
        return;
      }
      // In the page's language, as written in the United States (en-US, es-US).
      var locale = (document.documentElement.lang || "en") + "-US";
      var format = function (zone) {
        return new Intl.DateTimeFormat(locale, {
          weekday: "long", hour: "numeric", minute: "2-digit", timeZoneName: "short", timeZone: zone
        }).format(instant);
      };
      // Same clock reading (say Chicago and Winnipeg): nothing to add.
      if (!visitorZone || format(visitorZone) === format(meetingZone)) {
        return;
      }
      // "your time: {time}" comes from the page, in its language.
      var text = target.getAttribute("data-text") || "your time: {time}";
      target.textContent = " (" + text.replace("{time}", format(visitorZone)) + ")";
      target.hidden = false;
    });
  }

  document.addEventListener("DOMContentLoaded", function () { show(document); });
  // After htmx swaps in new results.
  document.addEventListener("htmx:afterSettle", function (event) { show(event.target); });
})();
