"""spreadLayout() of static/js/map-spread.js, the geometry that keeps map markers apart, run in Chromium
on crowded made-up places: no two tap targets overlap, none covers an obstacle or another's
true position, and markers of the view stay in it."""

from pathlib import Path

import pytest

from portal.geo import SHAPE, TARGET

SCRIPT = Path(__file__).resolve().parents[2] / "static" / "js" / "map-spread.js"

HALF, REACH = TARGET // 2 + 1, SHAPE // 2 + 4  # what map_script() passes; a true place's dot
VIEW = [0, 0, 340, 480]  # a phone's map, in pixels
CONTROLS = [[10, 10, 58, 102], [0, 444, 340, 480]]  # zoom buttons, attribution


@pytest.fixture
def layout(browser):
    page = browser.new_page()
    page.add_script_tag(content=SCRIPT.read_text(encoding="utf-8"))
    yield lambda homes: page.evaluate(
        "([homes, view, controls, half, shape]) => spreadLayout(homes, view, controls, half, shape)",
        [[{"x": x, "y": y} for x, y in homes], VIEW, CONTROLS, HALF, SHAPE // 2])
    page.close()


def problems(homes, spots):
    found = []
    for i, a in enumerate(spots):
        found += [f"{i} overlaps {j}" for j, b in enumerate(spots[i + 1:], start=i + 1)
                  if abs(a["x"] - b["x"]) < 2 * HALF and abs(a["y"] - b["y"]) < 2 * HALF]
        found += [f"{i} hides the place of {j}" for j, (x, y) in enumerate(homes)
                  if j != i and abs(a["x"] - x) < REACH and abs(a["y"] - y) < REACH]
        found += [f"{i} covers a control" for x0, y0, x1, y1 in CONTROLS
                  if x0 - HALF < a["x"] < x1 + HALF and y0 - HALF < a["y"] < y1 + HALF]
        if not (HALF <= a["x"] <= VIEW[2] - HALF and HALF <= a["y"] <= VIEW[3] - HALF):
            found.append(f"{i} is out of the view")
    return found


def test_markers_far_apart_stay_in_place(layout):
    homes = [(100, 150), (200, 150), (150, 300)]
    assert layout(homes) == [{"x": x, "y": y} for x, y in homes]


def test_markers_on_one_spot_are_spread_around_it(layout):
    homes = [(170, 240)] * 8
    spots = layout(homes)
    assert problems(homes, spots) == []
    assert all(abs(s["x"] - 170) < 3 * TARGET and abs(s["y"] - 240) < 3 * TARGET for s in spots)


def test_a_crowded_town_near_the_controls(layout):
    # 30 places in three tight clusters, one of them under the zoom buttons.
    homes = [(30 + (i % 4) * 9, 40 + (i % 3) * 11) for i in range(10)]
    homes += [(170 + (i % 5) * 7, 250 + (i % 2) * 13) for i in range(10)]
    homes += [(290 + (i % 3) * 10, 420 + (i % 4) * 6) for i in range(10)]
    spots = layout(homes)
    assert problems(homes, spots) == []
