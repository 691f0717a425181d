"""Bar charts drawn on the server as SVG: the geometry here, the markup in
templates/statistics/charts.html.

Nothing needs JavaScript, and nothing uses a `style` attribute (the Content-Security-Policy
forbids inline styles): positions are SVG attributes and colours come from classes in the
stylesheet. Charts only repeat what the table beside each one says, so they are hidden from
assistive technology and their links are left out of the tab order (the table's are not).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# Units of the SVG's view box; the chart scales to the width of its column.
WIDTH = 640
# Horizontal bars: a label above each bar, the number after its end.
LABEL_HEIGHT = 22
BAR_HEIGHT = 22
ROW_GAP = 12
NUMBER_ROOM = 72
# Columns (one per month): the drawing area, then a line of year labels under it.
COLUMN_AREA = 180
AXIS_ROOM = 28
TOP_ROOM = 24


@dataclass(frozen=True)
class Datum:
    """One bar's worth: what it is, how many, and the listing it links to (if any)."""

    label: str
    value: int
    href: str = ""


@dataclass(frozen=True)
class Bar:
    datum: Datum
    x: float
    y: float
    width: float
    height: float
    label_x: float
    label_y: float
    number_x: float
    number_y: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: tuple[Bar, ...]
    # Columns only: the marks under the axis, where the axis is, and the height of the
    # tallest column, whose value `largest` is written there.
    ticks: tuple[tuple[float, str], ...] = ()
    baseline: float = 0
    top: float = 0
    largest: int = 0


def _scale(values: Sequence[int], room: float) -> float:
    largest = max(values, default=0)
    return room / largest if largest else 0.0


def bars(data: Sequence[Datum]) -> Chart:
    """A horizontal bar chart, one row per datum in the order given."""
    per_unit = _scale([d.value for d in data], WIDTH - NUMBER_ROOM)
    row = LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
    placed = []
    for number, datum in enumerate(data):
        top = number * row
        width = datum.value * per_unit
        placed.append(
            Bar(
                datum=datum,
                x=0,
                y=top + LABEL_HEIGHT,
                width=round(width, 1),
                height=BAR_HEIGHT,
                label_x=0,
                label_y=top + LABEL_HEIGHT - 6,
                number_x=round(width + 8, 1),
                number_y=top + LABEL_HEIGHT + BAR_HEIGHT - 6,
            )
        )
    return Chart(width=WIDTH, height=max(row * len(data), row), bars=tuple(placed))


def columns(data: Sequence[Datum], marks: Mapping[int, str]) -> Chart:
    """A column chart of a series in time order (such as months), with `marks` (column
    number -> text, such as a year) written under the axis."""
    count = max(len(data), 1)
    slot = WIDTH / count
    gap = min(slot * 0.2, 4)
    per_unit = _scale([d.value for d in data], COLUMN_AREA)
    baseline = TOP_ROOM + COLUMN_AREA
    placed = []
    ticks = []
    for number, datum in enumerate(data):
        height = datum.value * per_unit
        x = number * slot
        placed.append(
            Bar(
                datum=datum,
                x=round(x + gap / 2, 2),
                y=round(baseline - height, 2),
                width=round(max(slot - gap, 1), 2),
                height=round(height, 2),
                label_x=0,
                label_y=0,
                number_x=0,
                number_y=0,
            )
        )
        if number in marks:
            ticks.append((round(x + gap / 2, 2), marks[number]))
    largest = max((d.value for d in data), default=0)
    return Chart(
        width=WIDTH,
        height=baseline + AXIS_ROOM,
        bars=tuple(placed),
        ticks=tuple(ticks),
        baseline=baseline,
        top=TOP_ROOM,
        largest=largest,
    )
