"""Bar chart geometry: pure, table-driven."""

import pytest

from reports.charts import BAR_HEIGHT, VALUE_SPACE, VIEW_WIDTH, bar_chart

USABLE = VIEW_WIDTH - VALUE_SPACE


@pytest.mark.parametrize(
    ("items", "max_value", "widths"),
    [
        ([("A", 50), ("B", 100)], 100, [USABLE / 2, USABLE]),
        ([("A", 5), ("B", 10)], None, [USABLE / 2, USABLE]),  # largest value sets the scale
        ([("A", 150)], 100, [USABLE]),  # clamped to the scale
        ([("A", -10)], 100, [0.0]),  # negative gain draws an empty bar
        ([("A", 0), ("B", 0)], None, [0.0, 0.0]),  # all zero: no division by zero
        ([("A", None), ("B", 40)], 100, [USABLE * 0.4]),  # missing values are left out
    ],
)
def test_bar_widths_follow_the_scale(items, max_value, widths):
    chart = bar_chart("t", items, max_value=max_value)
    assert [b.bar_width for b in chart.bars] == pytest.approx(widths, abs=0.1)


def test_bars_stack_without_overlapping_and_the_height_fits_them():
    chart = bar_chart("t", [("A", 1), ("B", 2), ("C", 3)])
    tops = [b.bar_y for b in chart.bars]
    assert all(
        later >= earlier + BAR_HEIGHT for earlier, later in zip(tops, tops[1:], strict=False)
    )
    assert chart.height >= tops[-1] + BAR_HEIGHT


def test_value_labels_carry_the_unit():
    chart = bar_chart("t", [("A", 37.5), ("B", 12)], max_value=100, unit="%")
    assert [b.value_label for b in chart.bars] == ["38%", "12%"]


def test_an_empty_chart_says_so():
    assert bar_chart("t", []).empty
