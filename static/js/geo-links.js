/* iPhones and iPads ignore geo: URIs (RFC 5870), which Android opens in its map app. On iOS
   and iPadOS, each link "geo:LAT,LON?q=LAT,LON(LABEL)" written by portal/geo.py becomes
   https://maps.apple.com/?q=LABEL&ll=LAT,LON, which opens Apple Plans. Without this script,
   or elsewhere, the link stays as it is (the OpenStreetMap link beside it works everywhere). */
(function () {
  var agent = navigator.userAgent || "";
  // iPadOS 13+ says it is a Mac: a "Mac" with a touch screen is an iPad.
  var apple = /iPhone|iPad|iPod/.test(agent) ||
    (/Macintosh/.test(agent) && navigator.maxTouchPoints > 1);
  if (!apple) { return; }

  function appleMapsUrl(geo) {
    var match = /^geo:(-?[\d.]+),(-?[\d.]+)(?:\?q=[^(]*\((.*)\))?/.exec(geo);
    if (!match) { return null; }
    var label = "";
    try {
      label = match[3] ? decodeURIComponent(match[3]) : "";
    } catch (error) {  // a malformed escape: the place without its name still helps
      label = "";
    }
    var ll = match[1] + "," + match[2];
    return "https://maps.apple.com/?q=" + encodeURIComponent(label || ll) + "&ll=" + ll;
  }

  var links = document.querySelectorAll('a[href^="geo:"]');
  for (var i = 0; i < links.length; i += 1) {
    var url = appleMapsUrl(links[i].getAttribute("href"));
    if (url) { links[i].setAttribute("href", url); }
  }
}());
