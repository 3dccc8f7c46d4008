/* The directory's map. Nothing here runs before the visitor presses "Karte laden":
   only then are Leaflet (our own static copy) and the tile server's images loaded.
   Towns are circles sized by how many organisations they have; each links to the
   list filtered by that town. The table of towns on the page shows the same. */
(function () {
  "use strict";

  var button = document.getElementById("map-load");
  var data = document.getElementById("map-towns");
  if (!button || !data) {
    return;
  }
  button.hidden = false; // without JavaScript the table stands alone

  function load(tag, attributes) {
    return new Promise(function (resolve, reject) {
      var element = document.createElement(tag);
      Object.keys(attributes).forEach(function (name) {
        element.setAttribute(name, attributes[name]);
      });
      element.onload = resolve;
      element.onerror = reject;
      document.head.appendChild(element);
    });
  }

  function text(value) {
    var span = document.createElement("span");
    span.textContent = value;
    return span.innerHTML;
  }

  function attribution() {
    var label = text(button.dataset.attribution);
    var url = button.dataset.attributionUrl;
    if (!url) {
      return label;
    }
    var link = document.createElement("a");
    link.href = url;
    link.textContent = button.dataset.attribution;
    return link.outerHTML;
  }

  function draw() {
    var towns = JSON.parse(data.textContent);
    var container = document.getElementById("map");
    container.hidden = false;
    var map = L.map(container, { scrollWheelZoom: false });
    L.tileLayer(button.dataset.tiles, {
      maxZoom: 18,
      attribution: attribution(),
    }).addTo(map);
    var largest = Math.max.apply(null, towns.map(function (town) { return town.count; }));
    var bounds = [];
    towns.forEach(function (town) {
      var point = [town.lat, town.lon];
      bounds.push(point);
      var radius = 8 + 16 * Math.sqrt(town.count / largest);
      var label = button.dataset.markerLabel + " " + town.name + ": " + town.count;
      L.circleMarker(point, {
        radius: radius,
        color: "#08345e",
        weight: 2,
        fillColor: "#0b4a85",
        fillOpacity: 0.6,
      })
        .bindTooltip(text(label))
        .bindPopup(function () {
          var link = document.createElement("a");
          link.href = town.url;
          link.textContent = label;
          return link;
        })
        .addTo(map);
    });
    if (bounds.length === 1) {
      map.setView(bounds[0], 11);
    } else {
      map.fitBounds(bounds, { padding: [48, 48], maxZoom: 11 });
    }
    document.getElementById("map-consent").hidden = true;
    document.getElementById("map-status").textContent = button.dataset.loaded;
    container.focus();
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    load("link", { rel: "stylesheet", href: button.dataset.leafletCss })
      .then(function () {
        return load("script", { src: button.dataset.leafletJs });
      })
      .then(draw)
      .catch(function () {
        button.disabled = false;
      });
  });
})();
