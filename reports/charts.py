"""Geometry of accessible horizontal bar charts, with no database access.

The template draws the bars as inline SVG (attributes only: the CSP forbids inline styles) in a
320-unit-wide view box, the width of a small phone, so the labels stay readable when scaled.
Every chart is shown with its data table; the SVG is a picture of that table.
"""

from dataclasses import dataclass

VIEW_WIDTH = 320
LABEL_HEIGHT = 16
BAR_HEIGHT = 14
ROW_GAP = 8
VALUE_SPACE = 48  # room right of the longest bar for its value label


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    value_label: str
    label_y: int
    bar_y: int
    bar_width: float
    value_x: float
    value_y: int


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: tuple[Bar, ...]
    width: int
    height: int
    bar_height: int = BAR_HEIGHT

    @property
    def track_width(self) -> int:
        return self.width - VALUE_SPACE

    @property
    def empty(self) -> bool:
        return not self.bars


def _fmt(value: float, unit: str) -> str:
    number = f"{value:.0f}" if float(value).is_integer() or abs(value) >= 10 else f"{value:.1f}"
    return f"{number}{unit}"


def bar_chart(
    title: str,
    items: list[tuple[str, float | None]],
    *,
    max_value: float | None = None,
    unit: str = "",
) -> BarChart:
    """Bars for (label, value) pairs; a None value is left out. Negative values draw as empty bars.

    `max_value` fixes the scale (100 for percentages); otherwise the largest value sets it.
    """
    points = [(str(label), float(value)) for label, value in items if value is not None]
    scale_max = max_value if max_value is not None else max((v for _, v in points), default=0)
    usable = VIEW_WIDTH - VALUE_SPACE
    bars = []
    y = 0
    for label, value in points:
        clamped = min(max(value, 0.0), scale_max) if scale_max > 0 else 0.0
        width = round(usable * clamped / scale_max, 1) if scale_max > 0 else 0.0
        bar_y = y + LABEL_HEIGHT
        bars.append(
            Bar(
                label=label,
                value=value,
                value_label=_fmt(value, unit),
                label_y=y + LABEL_HEIGHT - 4,
                bar_y=bar_y,
                bar_width=width,
                value_x=width + 4,
                value_y=bar_y + BAR_HEIGHT - 3,
            )
        )
        y = bar_y + BAR_HEIGHT + ROW_GAP
    return BarChart(title=title, bars=tuple(bars), width=VIEW_WIDTH, height=max(y, 1))
