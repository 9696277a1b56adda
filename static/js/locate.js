// "Use my location": asks the browser where it is, rounds that to about 1 km (two decimals),
// puts "latitude,longitude" in the Where field and submits the search. The coordinates go
// only into the search address; nothing is stored, here or on the server.
(function () {
  "use strict";

  if (!("geolocation" in navigator)) {
    return; // the button stays hidden
  }

  function setUp(button) {
    var form = button.form;
    var field = form && form.elements.namedItem("near");
    var status = document.getElementById(button.getAttribute("aria-describedby"));
    if (!field) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      button.disabled = true;
      // The messages come from the page, in its language (search_fields.html).
      status.textContent = button.dataset.finding;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          field.value =
            position.coords.latitude.toFixed(2) + "," + position.coords.longitude.toFixed(2);
          button.disabled = false;
          status.textContent = "";
          if (form.requestSubmit) {
            form.requestSubmit();
          } else {
            form.submit();
          }
        },
        function (error) {
          button.disabled = false;
          status.textContent =
            error.code === error.PERMISSION_DENIED
              ? button.dataset.denied
              : button.dataset.failed;
        },
        { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 }
      );
    });
  }

  document.querySelectorAll("button[data-locate]").forEach(setUp);
})();
