// The results map (templates/includes/results_map.html): Leaflet in place of the SVG the
// server drew, over state lines (and county lines when zoomed in) this site serves itself.
// Pin N is result N of the list: hovering or focusing one marks the other, and pressing a
// pin takes you to its result. Street tiles load only when the visitor presses the button,
// from the one tile server the operator set. Leaflet and the outlines are loaded only when
// a page has pins, and the map is built again when htmx brings new results.
(function () {
  "use strict";

  var COUNTY_ZOOM = 8; // county lines from this zoom in
  var CREDIT = "State and county lines: US Census Bureau, via us-atlas";
  var loaded = {};
  var current = null; // { map, holder } of the map on the page now

  function load(tag, attributes) {
    var key = attributes.src || attributes.href;
    if (!loaded[key]) {
      loaded[key] = new Promise(function (resolve, reject) {
        var element = document.createElement(tag);
        Object.keys(attributes).forEach(function (name) { element.setAttribute(name, attributes[name]); });
        element.onload = resolve;
        element.onerror = function () { reject(new Error("could not load " + key)); };
        document.head.appendChild(element);
      });
    }
    return loaded[key];
  }

  function fetchJson(url) {
    if (!loaded[url]) {
      loaded[url] = fetch(url, { credentials: "same-origin" }).then(function (answer) {
        if (!answer.ok) { throw new Error("could not load " + url); }
        return answer.json();
      });
    }
    return loaded[url];
  }

  function escapeText(text) {
    var span = document.createElement("span");
    span.textContent = text;
    return span.innerHTML;
  }

  // The list item of the result a pin stands for: the one whose link goes to its page.
  function rowFor(box, url) {
    var links = document.querySelectorAll("main a[href]");
    for (var i = 0; i < links.length; i++) {
      if (links[i].getAttribute("href") === url && !box.contains(links[i])) {
        return { item: links[i].closest("li") || links[i], link: links[i] };
      }
    }
    return null;
  }

  function pinIcon(pin) {
    return L.divIcon({ className: "map-marker", html: String(pin.number), iconSize: [28, 28], iconAnchor: [14, 14] });
  }

  function linkPinAndRow(marker, row) {
    var pinElement = marker.getElement();
    function mark(on) {
      pinElement.classList.toggle("is-linked", on);
      row.item.classList.toggle("map-linked", on);
      if (on) { marker.setZIndexOffset(1000); } else { marker.setZIndexOffset(0); }
    }
    ["mouseenter", "focus"].forEach(function (name) {
      pinElement.addEventListener(name, function () { mark(true); });
      row.item.addEventListener(name === "focus" ? "focusin" : name, function () { mark(true); });
    });
    ["mouseleave", "blur"].forEach(function (name) {
      pinElement.addEventListener(name, function () { mark(false); });
      row.item.addEventListener(name === "blur" ? "focusout" : name, function () { mark(false); });
    });
    function goToRow() {
      mark(false);
      row.item.scrollIntoView({ block: "center" });
      row.link.focus({ preventScroll: true });
    }
    marker.on("click", goToRow);
    // Leaflet gives a marker role="button" and a tab stop but no keys: Enter and Space here.
    pinElement.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        goToRow();
      }
    });
  }

  function addPins(map, box, data) {
    data.pins.forEach(function (pin) {
      var row = rowFor(box, pin.url);
      var marker = L.marker([pin.lat, pin.lng], {
        icon: pinIcon(pin),
        interactive: Boolean(row),
        keyboard: Boolean(row),
        title: pin.number + ". " + pin.name,
        riseOnHover: true
      }).addTo(map);
      var element = marker.getElement();
      if (row) {
        element.setAttribute("role", "button");
        element.setAttribute("aria-label", pin.number + ". " + pin.name);
        element.dataset.number = pin.number;
        linkPinAndRow(marker, row);
      } else {
        element.setAttribute("aria-hidden", "true");
      }
    });
  }

  function addOutlines(map, data) {
    var stateBounds = {};
    fetchJson(data.files.states).then(function (us) {
      var states = L.geoJSON(topojson.feature(us, us.objects.states), {
        interactive: false,
        style: { className: "map-state", weight: 1 }
      }).addTo(map).bringToBack();
      states.eachLayer(function (layer) { stateBounds[layer.feature.id] = layer.getBounds(); });
      showCounties();
    });
    // County lines once zoomed in, for the states in view around the results.
    var counties = L.layerGroup();
    var drawn = {};
    function showCounties() {
      if (map.getZoom() < COUNTY_ZOOM) {
        map.removeLayer(counties);
        return;
      }
      counties.addTo(map);
      var view = map.getBounds();
      Object.keys(data.counties).forEach(function (state) {
        if (drawn[state] || !stateBounds[state] || !view.intersects(stateBounds[state])) { return; }
        drawn[state] = true;
        fetchJson(data.counties[state]).then(function (part) {
          // Only the lines between counties: the states layer draws the outer edges.
          var lines = topojson.mesh(part, part.objects.counties, function (a, b) { return a !== b; });
          L.geoJSON(lines, { interactive: false, style: { className: "map-county", weight: 0.5 } }).addTo(counties);
        });
      });
    }
    map.on("zoomend moveend", showCounties);
  }

  function offerStreetMap(map, box, data) {
    var holder = box.querySelector(".map-tiles");
    if (!holder || !data.tiles) { return; }
    var button = holder.querySelector("button");
    var tiles = null;
    holder.hidden = false;
    button.addEventListener("click", function () {
      if (!tiles) {
        tiles = L.tileLayer(data.tiles.url, {
          maxZoom: 19,
          attribution: escapeText(data.tiles.attribution)
        });
      }
      var showing = map.hasLayer(tiles);
      if (showing) { map.removeLayer(tiles); } else { tiles.addTo(map); }
      map.setMaxZoom(showing ? 12 : 19);
      button.setAttribute("aria-pressed", showing ? "false" : "true");
      box.querySelector(".map-canvas").classList.toggle("map-tiles-on", !showing);
    });
  }

  function build(box) {
    var section = box.querySelector("[data-map]");
    var canvas = box.querySelector(".map-canvas");
    if (!section || !canvas) { return; }
    var data = JSON.parse(section.dataset.map);
    Promise.all([
      load("link", { rel: "stylesheet", href: data.files.leafletCss }),
      load("script", { src: data.files.leafletJs }).then(function () {
        return load("script", { src: data.files.topojson });
      })
    ]).then(function () {
      // Replaced by a newer search meanwhile, or built already.
      if (!document.body.contains(canvas) || canvas.querySelector(".map-leaflet")) { return; }
      if (current) { current.map.remove(); }
      var svg = canvas.querySelector("svg");
      var holder = document.createElement("div");
      holder.className = "map-leaflet";
      canvas.appendChild(holder);
      var map = L.map(holder, {
        keyboard: false, // the pins and the zoom buttons take the keyboard; the list comes first
        scrollWheelZoom: false, // the page scrolls past the map, as the visitor expects
        maxZoom: 12,
        zoomSnap: 0.5,
        attributionControl: false
      });
      L.control.attribution({ prefix: '<a href="https://leafletjs.com">Leaflet</a>' })
        .addAttribution(CREDIT).addTo(map);
      var bounds = data.pins.map(function (pin) { return [pin.lat, pin.lng]; });
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 11 });
      addPins(map, box, data);
      addOutlines(map, data);
      offerStreetMap(map, box, data);
      if (svg) { svg.remove(); }
      var credit = box.querySelector(".map-credit");
      if (credit) { credit.hidden = true; }
      canvas.classList.add("has-leaflet");
      current = { map: map, holder: holder };
    }).catch(function (error) {
      // The SVG the server drew stays: the map still shows the pins.
      console.warn("The map stays as the server drew it:", error);
    });
  }

  function start() {
    var box = document.getElementById("results-map");
    if (current && !document.body.contains(current.holder)) {
      current.map.remove(); // its results were replaced
      current = null;
    }
    if (box && !current) { whenNearTheScreen(box, build); }
  }

  // Leaflet and the outlines are loaded only once the map is about to be seen: on a phone
  // it sits below the list, and someone who reads the list and calls never pays for it.
  function whenNearTheScreen(box, then) {
    if (!("IntersectionObserver" in window)) { then(box); return; }
    var watcher = new IntersectionObserver(function (entries) {
      if (entries.some(function (entry) { return entry.isIntersecting; })) {
        watcher.disconnect();
        then(box);
      }
    }, { rootMargin: "200px" });
    watcher.observe(box);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
  // A search sent by htmx brings the map again, out of band, with the new results' pins.
  document.addEventListener("htmx:afterSettle", start);
})();
