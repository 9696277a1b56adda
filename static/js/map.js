// The results map (templates/includes/results_map.html): Leaflet in place of the SVG the
// server drew, over state lines (and county lines when zoomed in) this site serves itself.
// Pin N is result N of the list: hovering or focusing one marks the other, and pressing a
// pin takes you to its result; pins that would overlap at the zoom shown are one marker,
// "3 here", that opens a list of them (listings at one address, meetings at one hall).
// Street tiles load only when the visitor presses the button, from the one tile server the
// operator set. Leaflet and the outlines are loaded only when
// a page has pins, and the map is built again when htmx brings new results.
(function () {
  "use strict";

  var COUNTY_ZOOM = 8; // county lines from this zoom in
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

  // Markers closer than this many pixels would cover each other (a marker is 28 px wide).
  var OVERLAP = 28;

  // The pins in groups that would overlap at the zoom shown, in the list's order: each pin
  // joins the first group closer than OVERLAP to it, else starts its own.
  function groupsAtThisZoom(map, pins) {
    var groups = [];
    pins.forEach(function (pin) {
      var point = map.latLngToLayerPoint([pin.lat, pin.lng]);
      for (var i = 0; i < groups.length; i++) {
        if (groups[i].point.distanceTo(point) < OVERLAP) {
          groups[i].pins.push(pin);
          return;
        }
      }
      groups.push({ point: point, pins: [pin] });
    });
    return groups;
  }

  function markerIcon(pins, here) {
    if (pins.length === 1) {
      return L.divIcon({ className: "map-marker", html: String(pins[0].number), iconSize: [28, 28], iconAnchor: [14, 14] });
    }
    return L.divIcon({ className: "map-marker map-marker-group", html: escapeText(here), iconSize: [64, 28], iconAnchor: [32, 14] });
  }

  // The list a marker of several pins opens: a link to each one's page.
  function listOf(pins, here) {
    var list = document.createElement("ul");
    list.className = "map-group-list";
    list.setAttribute("aria-label", here);
    pins.forEach(function (pin) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = pin.url;
      link.textContent = pin.number + ". " + pin.name;
      item.appendChild(link);
      list.appendChild(item);
    });
    return list;
  }

  // Pin N is result N: hovering or focusing either marks the other, and pressing a pin takes
  // you to its result. Pins that would overlap at this zoom are one marker, "3 here", which
  // opens the list of them. The markers are drawn again at each zoom.
  function addPins(map, box, data) {
    var rows = {};
    data.pins.forEach(function (pin) { rows[pin.url] = rowFor(box, pin.url); });
    var layer = L.layerGroup().addTo(map);
    var markerOf = {}; // a result's url → the marker drawn for it now, with its rows

    // Hover and focus are kept apart: the mouse leaving a row (or the page scrolling under a
    // still mouse) must not unmark a pin that still has the keyboard's focus, nor the reverse.
    function mark(drawn, why, on) {
      if (!drawn || !drawn.marker.getElement()) { return; }
      drawn[why] = on;
      on = Boolean(drawn.hover || drawn.focus);
      drawn.marker.getElement().classList.toggle("is-linked", on);
      drawn.rows.forEach(function (row) { row.item.classList.toggle("map-linked", on); });
      drawn.marker.setZIndexOffset(on ? 1000 : 0);
    }

    // The rows stay while the markers change: they ask which marker stands for them now.
    data.pins.forEach(function (pin) {
      var row = rows[pin.url];
      if (!row) { return; }
      [["mouseenter", "hover", true], ["focusin", "focus", true],
       ["mouseleave", "hover", false], ["focusout", "focus", false]].forEach(function (event) {
        row.item.addEventListener(event[0], function () { mark(markerOf[pin.url], event[1], event[2]); });
      });
    });

    function goToRow(drawn, row) {
      mark(drawn, "hover", false);
      mark(drawn, "focus", false);
      row.item.scrollIntoView({ block: "center" });
      row.link.focus({ preventScroll: true });
    }

    function toggleList(marker, pins, here) {
      var list = listOf(pins, here);
      var popup = L.popup({ minWidth: 160, autoPanPadding: [12, 12] }).setContent(list);
      var element = marker.getElement();
      popup.on("add", function () {
        element.setAttribute("aria-expanded", "true");
        list.querySelector("a").focus();
      });
      popup.on("remove", function () {
        element.setAttribute("aria-expanded", "false");
        // Closed from inside (its close button, Escape): the focus goes back to the marker.
        if (document.body.contains(element) &&
            (document.activeElement === document.body || list.contains(document.activeElement))) {
          element.focus();
        }
      });
      list.addEventListener("keydown", function (event) {
        if (event.key === "Escape") {
          event.preventDefault();
          map.closePopup(popup);
        }
      });
      element.setAttribute("aria-expanded", "false");
      return function () {
        if (map.hasLayer(popup)) {
          map.closePopup(popup);
        } else {
          popup.setLatLng(marker.getLatLng()).openOn(map);
        }
      };
    }

    function addMarker(pins) {
      var linked = pins.map(function (pin) { return rows[pin.url]; }).filter(Boolean);
      var single = pins.length === 1;
      var here = data.here[pins.length];
      var names = pins.map(function (pin) { return pin.number + ". " + pin.name; }).join(", ");
      var name = single ? names : here + ": " + names;
      // A lone pin whose result is not on the page has nowhere to take you.
      var interactive = !single || linked.length > 0;
      var marker = L.marker([pins[0].lat, pins[0].lng], {
        icon: markerIcon(pins, here),
        interactive: interactive,
        keyboard: interactive,
        title: name,
        riseOnHover: true
      }).addTo(layer);
      var element = marker.getElement();
      if (!interactive) {
        element.setAttribute("aria-hidden", "true");
        return;
      }
      element.setAttribute("role", "button");
      element.setAttribute("aria-label", name);
      if (single) { element.dataset.number = pins[0].number; }
      var drawn = { marker: marker, rows: linked };
      pins.forEach(function (pin) { markerOf[pin.url] = drawn; });
      element.addEventListener("mouseenter", function () { mark(drawn, "hover", true); });
      element.addEventListener("focus", function () { mark(drawn, "focus", true); });
      element.addEventListener("mouseleave", function () { mark(drawn, "hover", false); });
      element.addEventListener("blur", function () { mark(drawn, "focus", false); });
      var press = single ? function () { goToRow(drawn, linked[0]); } : toggleList(marker, pins, here);
      marker.on("click", press);
      // Leaflet gives a marker role="button" and a tab stop but no keys: Enter and Space here.
      element.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          press();
        }
      });
    }

    function draw() {
      map.closePopup();
      layer.clearLayers();
      markerOf = {};
      groupsAtThisZoom(map, data.pins).forEach(function (group) { addMarker(group.pins); });
    }
    draw();
    map.on("zoomend", draw);
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
        attributionControl: false,
        zoomControl: false,
        // The list of a "3 here" marker shows at once, readable from its first frame,
        // rather than fading in (and tiles, when shown, appear without a fade too).
        fadeAnimation: false
      });
      // The zoom buttons and the credit in the page's language (the words come from the page).
      L.control.zoom({
        zoomInTitle: data.words.zoomIn,
        zoomOutTitle: data.words.zoomOut
      }).addTo(map);
      L.control.attribution({ prefix: '<a href="https://leafletjs.com">Leaflet</a>' })
        .addAttribution(escapeText(data.words.credit)).addTo(map);
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
