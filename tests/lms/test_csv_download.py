"""Every CSV of the site is written by lms.csv_download."""

from datetime import UTC, date, datetime

import pytest
from django.utils import timezone

from lms.csv_download import csv_cell, csv_lines, csv_response, csv_safe


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("Ana", "Ana"),
        ("", ""),
    ],
)
def test_text_that_a_spreadsheet_would_run_is_neutralised(value, expected):
    assert csv_safe(value) == expected


def test_numbers_stay_numbers_and_dates_are_local():
    moment = datetime(2026, 3, 1, 18, 30, tzinfo=UTC)
    assert csv_cell(-2) == -2
    assert csv_cell(None) == ""
    assert csv_cell(date(2026, 3, 1)) == "2026-03-01"
    assert csv_cell(moment) == timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def test_lines_start_with_a_byte_order_mark_and_keep_accents():
    text = "".join(csv_lines(["Nombre", "Avance"], [["Tomás Ku'uyoc Chablé", 50], ["=1+1", -2]]))
    assert text.startswith("\ufeffNombre,Avance")
    assert "Tomás Ku'uyoc Chablé,50" in text
    assert "'=1+1,-2" in text


@pytest.mark.parametrize("stream", [False, True])
def test_a_download_is_named_and_not_kept_by_caches(stream):
    response = csv_response("avance", ["Nombre"], iter([["Ana"]]), stream=stream)
    body = b"".join(response.streaming_content) if stream else response.content
    assert body.decode("utf-8-sig") == "Nombre\r\nAna\r\n"
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="avance.csv"'
    assert response["Cache-Control"] == "private, no-store"
