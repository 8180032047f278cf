/* memorybook maps: Leaflet (vendored) over the offline base map (rivers, borders, place
   names as GeoJSON) or over the tiles of a server the operator configured.
   Every text from the data is written with textContent, never as HTML. */
(function () {
  "use strict";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function esc(text) {
    var d = document.createElement("span");
    d.textContent = String(text);
    return d.innerHTML;
  }

  function num(n, lang) {
    try {
      return Number(n).toLocaleString(lang === "ru" ? "ru-RU" : "en-GB");
    } catch (e) {
      return String(n);
    }
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error(url + ": " + r.status);
      return r.json();
    });
  }

  /* The offline base map: rivers and borders as lines, place names as labels that appear
     as the reader zooms in (the larger the place, the earlier). */
  function baseMap(map, url, labels) {
    var lang = labels.lang;
    var lines = L.layerGroup().addTo(map);
    var names = { big: L.layerGroup(), town: L.layerGroup(), district: L.layerGroup() };
    function tier(p) {
      return p.population >= 500000 ? "big" : p.district ? "district" : "town";
    }
    var ranked = []; /* the names, the larger place first: it keeps its name when two meet */
    function showNames() {
      var z = map.getZoom();
      var want = { big: z >= 5, town: z >= 9, district: z >= 12 };
      Object.keys(names).forEach(function (k) {
        if (want[k] && !map.hasLayer(names[k])) map.addLayer(names[k]);
        if (!want[k] && map.hasLayer(names[k])) map.removeLayer(names[k]);
      });
      declutter();
    }
    /* A name is shown whole or not at all: never over another name, under a control of the
       map or cut by its edge. */
    function declutter() {
      /* Where each name lies once the map has come to rest, in the map's own pixels, from
         Leaflet's positions and the name's size: the drawn boxes may still be moving at the
         end of a zoom (its animation ends on a timer, late under load). */
      var container = map.getContainer(), box = container.getBoundingClientRect();
      var x0 = box.left + container.clientLeft, y0 = box.top + container.clientTop;
      var size = map.getSize();
      var taken = Array.prototype.map.call(
        container.querySelectorAll(".leaflet-control"),
        function (c) {
          var r = c.getBoundingClientRect();
          return { left: r.left - x0, right: r.right - x0, top: r.top - y0, bottom: r.bottom - y0 };
        }
      );
      function meets(a, b) {
        return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      }
      ranked.forEach(function (m) {
        var node = m.getElement();
        if (!node || !map.hasLayer(m)) return;
        node.style.visibility = "";
        var p = map.latLngToContainerPoint(m.getLatLng());
        var w = node.firstChild.offsetWidth, h = node.firstChild.offsetHeight;
        /* the name is centred on its point (translate(-50%, -50%) in map.css); a pixel of
           margin keeps a rounded edge inside */
        var r = { left: p.x - w / 2 - 1, right: p.x + w / 2 + 1, top: p.y - h / 2 - 1, bottom: p.y + h / 2 + 1 };
        var whole = r.left >= 0 && r.right <= size.x && r.top >= 0 && r.bottom <= size.y;
        if (whole && !taken.some(function (t) { return meets(r, t); })) taken.push(r);
        else node.style.visibility = "hidden";
      });
    }
    return getJSON(url).then(function (gj) {
      L.geoJSON(gj, {
        filter: function (f) { return f.properties.layer !== "place"; },
        style: function (f) {
          return f.properties.layer === "river"
            ? { color: "#6f9fc8", weight: 2, opacity: 0.9, className: "bm-river" }
            : { color: "#8a8478", weight: 1.2, dashArray: "5 4", className: "bm-border" };
        },
        interactive: false
      }).addTo(lines);
      gj.features.forEach(function (f) {
        var p = f.properties;
        if (p.layer !== "place") return;
        var text = lang === "ru" ? p.name_ru || p.name : p.name;
        var t = tier(p);
        var icon = L.divIcon({ className: "bm-name data bm-" + t, html: el("span", null, text), iconSize: null });
        var c = f.geometry.coordinates;
        var m = L.marker([c[1], c[0]], { icon: icon, interactive: false, keyboard: false });
        m.addTo(names[t]);
        ranked.push({ m: m, rank: [t === "big" ? 0 : t === "town" ? 1 : 2, -(p.population || 0)] });
      });
      ranked.sort(function (a, b) { return a.rank[0] - b.rank[0] || a.rank[1] - b.rank[1]; });
      ranked = ranked.map(function (r) { return r.m; });
      map.on("zoomend", showNames);
      map.on("moveend resize overlayadd overlayremove", declutter);
      /* the sources' names are names (marked as such), the words around them the page's */
      map.attributionControl.addAttribution(
        esc(labels.rivers) + ' <span class="data" lang="en">GSHHG</span>; ' +
        esc(labels.names) + ' <span class="data" lang="en">GeoNames</span>'
      );
      showNames();
      /* the names' widths change when the page's font arrives */
      if (document.fonts && document.fonts.ready) document.fonts.ready.then(declutter);
      return declutter; /* called again once the page's own controls are on the map */
    });
  }

  function markerIcon(kind, title) {
    var node = el("span", "mk mk-" + kind);
    node.setAttribute("aria-hidden", "true");
    /* "data": its title is a place's name as the sources print it */
    return L.divIcon({ className: "mk-wrap data", html: node, iconSize: [18, 18], iconAnchor: [9, 9], popupAnchor: [0, -8] });
  }

  function popup(p, labels) {
    var lang = labels.lang;
    var box = el("div", "map-popup");
    var title = el("p", "mp-name");
    title.appendChild(el("strong", null, p.name));
    title.setAttribute("lang", "ru");
    box.appendChild(title);
    if (lang === "en" && (p.name_en || p.latin)) box.appendChild(el("p", "mp-en", p.name_en || p.latin));
    var kinds = (p.kinds || [p.kind]).map(function (k) { return labels.kinds[k] || k; });
    box.appendChild(el("p", "mp-kind", kinds.join("; ")));
    if (p.listed && p.listed.length) {
      var also = el("p", "mp-also", labels.also + " ");
      var names = el("span", null, p.listed.join("; "));
      names.setAttribute("lang", "ru");
      also.appendChild(names);
      box.appendChild(also);
    }
    if (p.address) {
      var addr = el("p", "mp-address", p.address);
      addr.setAttribute("lang", "ru");
      box.appendChild(addr);
    }
    if (p.people) {
      var people = el("p", "mp-people", labels.people + " " + num(p.people, lang));
      if (p.url) {
        people.appendChild(document.createTextNode(" · "));
        var a = el("a", null, labels.list);
        a.href = p.url;
        people.appendChild(a);
      }
      box.appendChild(people);
    } else if (p.kind !== "address") {
      box.appendChild(el("p", "mp-none", labels.none));
    }
    return box;
  }

  function clusterIcon(css) {
    return function (cluster) {
      var n = cluster.getChildCount();
      var size = css === "cl-houses" ? (n < 10 ? 22 : n < 100 ? 28 : 34) : n < 10 ? 30 : 36;
      return L.divIcon({ className: "cl " + css, html: el("span", null, n), iconSize: [size, size] });
    };
  }

  /* A popup as wide as its text wants, but never wider than the map: on a phone the whole
     popup (its name, its link, its close button) stays in view. */
  function popupSize(node) {
    var room = Math.max(140, node.clientWidth - 64);
    /* clear of the controls: zoom and layers at the top, the sources' credit at the bottom */
    return {
      maxWidth: Math.min(300, room), minWidth: Math.min(180, room),
      autoPanPaddingTopLeft: [12, 64], autoPanPaddingBottomRight: [12, 36]
    };
  }

  function pointsLayer(gj, labels, css, pane, size) {
    var group = L.markerClusterGroup({
      showCoverageOnHover: false,
      maxClusterRadius: 36,
      spiderfyOnMaxZoom: true,
      clusterPane: pane,
      iconCreateFunction: clusterIcon(css)
    });
    gj.features.forEach(function (f) {
      var p = f.properties;
      var c = f.geometry.coordinates;
      var m = L.marker([c[1], c[0]], { icon: markerIcon(p.kind), title: p.name, riseOnHover: true, pane: pane });
      m.bindPopup(function () { return popup(p, labels); }, size);
      group.addLayer(m);
    });
    return group;
  }

  function setUp(node) {
    var labels = JSON.parse(node.getAttribute("data-labels") || "{}");
    var map = L.map(node, { zoomSnap: 0.5, worldCopyJump: false, minZoom: 4, maxZoom: 18, zoomControl: false });
    L.control.zoom({ zoomInTitle: labels.zoomIn, zoomOutTitle: labels.zoomOut }).addTo(map);
    map.attributionControl.setPrefix(false);
    var tiles = node.getAttribute("data-tiles");
    var base;
    if (tiles) {
      L.tileLayer(tiles, { attribution: node.getAttribute("data-attribution") || "", maxZoom: 19 }).addTo(map);
      base = Promise.resolve(function () {});
    } else {
      node.classList.add("offline");
      base = baseMap(map, node.getAttribute("data-basemap"), labels);
    }
    map.setView([55.75, 37.62], 10);

    var points = node.getAttribute("data-points");
    if (points) {
      /* one record's places: every point a marker, the map fitted to them */
      var gj = { type: "FeatureCollection", features: JSON.parse(points) };
      var layer = L.featureGroup();
      gj.features.forEach(function (f) {
        var p = f.properties;
        var c = f.geometry.coordinates;
        var m = L.marker([c[1], c[0]], { icon: markerIcon(p.kind), title: p.name, alt: p.name });
        m.bindPopup(function () { return popup(p, labels); }, popupSize(node));
        layer.addLayer(m);
      });
      layer.addTo(map);
      map.fitBounds(layer.getBounds(), { padding: [40, 40], maxZoom: 12 });
      return base.then(function (declutter) {
        declutter();
        node.setAttribute("data-ready", "1");
      });
    }

    var overlays = {};
    var loads = [];
    var placesUrl = node.getAttribute("data-places");
    var housesUrl = node.getAttribute("data-houses");
    /* the places above the houses, whatever their latitude */
    map.createPane("houses").style.zIndex = 610;
    map.createPane("places").style.zIndex = 640;
    if (housesUrl) {
      loads.push(getJSON(housesUrl).then(function (gj) {
        var g = pointsLayer(gj, labels, "cl-houses", "houses", popupSize(node)).addTo(map);
        overlays[labels.houses] = g;
      }));
    }
    if (placesUrl) {
      loads.push(getJSON(placesUrl).then(function (gj) {
        var g = pointsLayer(gj, labels, "cl-places", "places", popupSize(node)).addTo(map);
        overlays[labels.places] = g;
      }));
    }
    return Promise.all([base].concat(loads)).then(function (done) {
      var declutter = done[0];
      var ordered = {};
      [labels.places, labels.houses].forEach(function (k) { if (overlays[k]) ordered[k] = overlays[k]; });
      var narrow = node.clientWidth < 560;
      var control = L.control.layers(null, ordered, { collapsed: narrow }).addTo(map);
      var toggle = control.getContainer().querySelector(".leaflet-control-layers-toggle");
      if (toggle) toggle.title = labels.layers;
      declutter();
      node.setAttribute("data-ready", "1");
    });
  }

  function start() {
    if (typeof L === "undefined") return;
    var nodes = document.querySelectorAll(".map[data-labels]");
    Array.prototype.forEach.call(nodes, function (node) {
      setUp(node).catch(function (err) {
        node.setAttribute("data-error", String(err));
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
