"""Charts drawn on the server: the geometry of an SVG bar chart, for the template
reports/_chart.html to draw (escaped like any other text; nothing here writes markup).

A chart is always shown next to the table it is drawn from; the SVG carries a title and a
description (role="img", aria-labelledby) and the table is what screen readers read."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 320  # viewBox units; the SVG scales to the column width (375 px phones included)
BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 120
PALETTE = ("#1d4f91", "#b3471d", "#2e7d32", "#6a3d9a", "#8a6d00")  # contrast >= 4.5 on white


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    x: float
    y: float
    width: float
    height: float
    color: str
    text_x: float


@dataclass(frozen=True)
class BarChart:
    title: str
    description: str
    bars: tuple[Bar, ...]
    width: int
    height: int
    label_width: int
    series: tuple[tuple[str, str], ...]  # (name, color) for the legend


def nice_max(value: float) -> float:
    """A round maximum for the axis (1, 2, 5 x 10^n) so bars compare at a glance."""
    if value <= 0:
        return 1
    step = 1
    while step * 10 <= value:
        step *= 10
    for factor in (1, 2, 5, 10):
        if value <= factor * step:
            return factor * step
    return 10 * step


def bar_chart(title: str, description: str, rows: list[tuple[str, list[float]]],
              series: list[str] | None = None) -> BarChart:
    """Horizontal bars, one group per row, one bar per series value: horizontal, so long
    French or Arabic labels stay readable on a phone."""
    series = series or [""]
    top = nice_max(max((v for _label, values in rows for v in values), default=0))
    plot = WIDTH - LABEL_WIDTH - 40
    bars, y = [], GAP
    for label, values in rows:
        for index, value in enumerate(values):
            width = round(plot * (value / top), 2) if value else 0
            bars.append(Bar(label if index == 0 else "", value, LABEL_WIDTH, y, width,
                            BAR_HEIGHT, PALETTE[index % len(PALETTE)],
                            LABEL_WIDTH + width + 4))
            y += BAR_HEIGHT + 2
        y += GAP
    return BarChart(title, description, tuple(bars), WIDTH, int(max(y, 40)), LABEL_WIDTH,
                    tuple((name, PALETTE[i % len(PALETTE)]) for i, name in enumerate(series)
                          if name))
