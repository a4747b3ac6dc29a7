"""A map drawn by portal/geo.py, as laid out in the browser: its tap targets, its popups.

    from tests.browser.maps import target_problems, wait_for_popup
    assert not target_problems(phone.page, "map_chantiers")
    link = wait_for_popup(phone.page)  # after a marker was focused and Enter pressed

WCAG 2.5.8 (and Lighthouse's target-size audit) wants targets of 24 px at least that do not
overlap: markers are 44 px squares, kept apart from each other and from the map's controls.
"""

from __future__ import annotations

MIN_TARGET = 24  # CSS px

LAYOUT = """id => {
  const box = e => { const r = e.getBoundingClientRect();
                     return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; };
  const map = document.getElementById(id);
  return {
    map: box(map),
    markers: Array.from(map.querySelectorAll('.leaflet-marker-icon'),
                        e => ({name: e.querySelector('.map-marker-label').textContent, ...box(e)})),
    controls: Array.from(map.querySelectorAll('.leaflet-control'),
                         e => ({name: e.classList[0], ...box(e)})),
  };
}"""


def _overlap(a: dict, b: dict) -> bool:
    return (a["left"] < b["right"] and b["left"] < a["right"]
            and a["top"] < b["bottom"] and b["top"] < a["bottom"])


def target_problems(page, map_id: str) -> list[str]:
    """What is wrong with the markers of <div id=map_id> as drawn now ([] when nothing):
    a target smaller than 24 px, two that overlap, one under a control or out of the map."""
    layout = page.evaluate(LAYOUT, map_id)
    markers, problems = layout["markers"], []
    assert markers, f"no marker in #{map_id}"
    for number, marker in enumerate(markers):
        name = f"marker {marker['name']}"
        width, height = marker["right"] - marker["left"], marker["bottom"] - marker["top"]
        if min(width, height) < MIN_TARGET:
            problems.append(f"{name} is {width:.0f}x{height:.0f} px")
        problems += [f"{name} overlaps marker {other['name']}"
                     for other in markers[number + 1:] if _overlap(marker, other)]
        problems += [f"{name} is under {control['name']}"
                     for control in layout["controls"] if _overlap(marker, control)]
        box = layout["map"]
        if (marker["left"] < box["left"] or marker["right"] > box["right"]
                or marker["top"] < box["top"] or marker["bottom"] > box["bottom"]):
            problems.append(f"{name} is out of the map")
    return problems


def wait_for_popup(page):
    """The open popup's title link, once Leaflet's fade-in is over (axe measures its contrast)."""
    link = page.locator(".leaflet-popup .map-popup-title a")
    link.wait_for()
    fade = page.locator(".leaflet-popup")
    for _ in range(50):
        if fade.evaluate("e => getComputedStyle(e).opacity") == "1":
            break
        page.wait_for_timeout(20)
    return link
