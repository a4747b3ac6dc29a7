/* Sites a few streets apart overlap at the zoom that shows a whole town on a phone, and tap
   targets must not (WCAG 2.5.8). After each zoom, spreadMarkers() moves the markers that would
   overlap apart on the screen, as little as it can, and joins each one moved off its place to a
   dot on that place with a thin line. Markers go back home as soon as there is room: at a close
   zoom they are exactly in place. spreadLayout() is the geometry alone, in pixels: first a gentle
   relaxation (markers push each other apart while a spring pulls each one home; of two, the one
   listed first moves less), then strict passes until nothing overlaps, then lines that cross are
   untangled by swapping their markers. A drawn marker never hides another's true position, the
   map's controls stay clear, and a marker of the view stays in it.

   Loaded before each map's own script (macros/map.html); portal/geo.py calls
   spreadMarkers(map, half target, half shape) for maps of several places. */
function spreadLayout(homes, view, obstacles, half, shape) {
  var spin = 0;  // the way the last two markers found on one spot were moved apart
  // Moves a and b apart along the line between them until squares of side 2 * reach around
  // them no longer overlap: a by aShare of the way, b by bShare. False if they did not overlap.
  function separate(a, b, reach, aShare, bShare) {
    var dx = b.x - a.x, dy = b.y - a.y, ox = reach - Math.abs(dx), oy = reach - Math.abs(dy);
    if (ox <= 0 || oy <= 0) { return false; }
    var length = Math.sqrt(dx * dx + dy * dy);
    if (length < 1e-3) {  // one upon the other: each time another way round (golden angle)
      spin += 2.39996; dx = Math.cos(spin); dy = Math.sin(spin); length = 1;
    }
    var ux = dx / length, uy = dy / length;
    var t = Math.min(ux ? ox / Math.abs(ux) : Infinity, uy ? oy / Math.abs(uy) : Infinity);
    a.x -= ux * t * aShare; a.y -= uy * t * aShare;
    b.x += ux * t * bShare; b.y += uy * t * bShare;
    return true;
  }
  // Out of an obstacle [x0, y0, x1, y1] the shortest way that keeps the spot in `room`.
  function escape(spot, box, room) {
    if (spot.x <= box[0] - half || spot.x >= box[2] + half ||
        spot.y <= box[1] - half || spot.y >= box[3] + half) { return false; }
    var ways = [{x: box[0] - half, y: spot.y}, {x: box[2] + half, y: spot.y},
                {x: spot.x, y: box[1] - half}, {x: spot.x, y: box[3] + half}];
    var best = null;
    ways.forEach(function (way) {
      var length = Math.abs(way.x - spot.x) + Math.abs(way.y - spot.y);
      if (way.x >= room[0] && way.x <= room[2] && way.y >= room[1] && way.y <= room[3] &&
          (!best || length < best.length)) { best = {x: way.x, y: way.y, length: length}; }
    });
    if (best) { spot.x = best.x; spot.y = best.y; }
    return !!best;
  }
  var dot = shape + 4;  // a drawn marker keeps this far from another's true position
  var spots = homes.map(function (home) { return {x: home.x, y: home.y}; }), strict = false;
  var rooms = homes.map(function (home) {  // where each marker's centre may go
    var seen = home.x >= view[0] && home.x <= view[2] && home.y >= view[1] && home.y <= view[3];
    return seen ? [view[0] + half, view[1] + half, view[2] - half, view[3] - half]
                : [-Infinity, -Infinity, Infinity, Infinity];
  });
  for (var round = 0; round < 400; round++) {
    var moved = false, share = strict ? 0.5 : 0.25, margin = strict ? 0.5 : 0;
    spots.forEach(function (spot, i) {
      if (!strict) {
        spot.x += (homes[i].x - spot.x) * 0.1; spot.y += (homes[i].y - spot.y) * 0.1;
      }
    });
    spots.forEach(function (spot, i) {
      for (var j = i + 1; j < spots.length; j++) {
        moved = separate(spot, spots[j], 2 * half + margin, share, 1 - share) || moved;
      }
      homes.forEach(function (home, j) {
        if (j !== i) { moved = separate(spot, home, dot + margin, 1, 0) || moved; }
      });
      var room = rooms[i];
      spot.x = Math.max(room[0], Math.min(room[2], spot.x));
      spot.y = Math.max(room[1], Math.min(room[3], spot.y));
      obstacles.forEach(function (box) { moved = escape(spot, box, room) || moved; });
    });
    if (strict && !moved) { break; }
    strict = strict || !moved || round >= 100;
  }
  function turn(a, b, c) { return (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x); }
  function crossing(i, j) {
    var a = homes[i], b = spots[i], c = homes[j], d = spots[j];
    return turn(a, b, c) * turn(a, b, d) < 0 && turn(c, d, a) * turn(c, d, b) < 0;
  }
  function fits(spot, i) {  // in its room, hiding no other true position
    var room = rooms[i];
    return spot.x >= room[0] && spot.x <= room[2] && spot.y >= room[1] && spot.y <= room[3] &&
      !homes.some(function (home, j) {
        return j !== i && Math.abs(home.x - spot.x) < dot && Math.abs(home.y - spot.y) < dot;
      });
  }
  for (var pass = 0, swapped = true; swapped && pass < 10; pass++) {
    swapped = false;
    for (var i = 0; i < spots.length; i++) {
      for (var j = i + 1; j < spots.length; j++) {
        if (crossing(i, j) && fits(spots[j], i) && fits(spots[i], j)) {
          var kept = spots[i]; spots[i] = spots[j]; spots[j] = kept; swapped = true;
        }
      }
    }
  }
  return spots;
}
function spreadMarkers(map, half, shape) {
  var pins = [];
  map.eachLayer(function (layer) {
    if (layer instanceof L.Marker) { pins.push({marker: layer, home: layer.getLatLng()}); }
  });
  function spread() {
    var container = map.getContainer(), frame = container.getBoundingClientRect();
    var corner = map.containerPointToLayerPoint([0, 0]), size = map.getSize();
    var x = corner.x - frame.left - container.clientLeft;
    var y = corner.y - frame.top - container.clientTop;
    var controls = [].map.call(container.querySelectorAll(".leaflet-control"), function (c) {
      var r = c.getBoundingClientRect();
      return [r.left + x, r.top + y, r.right + x, r.bottom + y];
    });
    var homes = pins.map(function (pin) { return map.latLngToLayerPoint(pin.home); });
    var view = [corner.x, corner.y, corner.x + size.x, corner.y + size.y];
    var spots = spreadLayout(homes, view, controls, half, shape);
    pins.forEach(function (pin, i) {
      var spot = L.point(spots[i].x, spots[i].y), dx = homes[i].x - spot.x;
      var dy = homes[i].y - spot.y, away = Math.max(Math.abs(dx), Math.abs(dy));
      pin.marker.setLatLng(map.layerPointToLatLng(spot));
      if (pin.leader) { pin.leader.remove(); pin.leader = null; }
      if (away > shape + 2) {  // its place is off the drawn marker: a line leads there
        var edge = map.layerPointToLatLng(spot.add([dx * shape / away, dy * shape / away]));
        pin.leader = L.layerGroup([
          L.polyline([pin.home, edge], {className: "map-leader", interactive: false,
                                        color: "#1d1d1f", weight: 2, opacity: 1}),
          L.circleMarker(pin.home, {className: "map-leader", interactive: false, radius: 3,
                                    color: "#fff", weight: 1, fillColor: "#1d1d1f",
                                    fillOpacity: 1})
        ]).addTo(map);
      }
    });
  }
  spread();
  map.on("zoomend", spread);
}
