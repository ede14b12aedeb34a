"""The CSV and XLSX writers."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from reports import exports


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"), ("+1", "'+1"), ("-2", "'-2"), ("@cmd", "'@cmd"), ("Ana", "Ana"), ("", "")],
)
def test_text_that_a_spreadsheet_would_run_is_neutralised(value, expected):
    assert exports.safe_text(value) == expected


def test_csv_starts_with_a_byte_order_mark_and_keeps_accents():
    text = "".join(exports.csv_stream(["Nombre", "Avance"], iter([["Tomás Ku'uyoc Chablé", 50]])))
    assert text.startswith("\ufeffNombre,Avance")
    assert "Tomás Ku'uyoc Chablé,50" in text


def test_xlsx_has_a_header_and_the_rows():
    content = exports.xlsx_bytes("Avance", ["Nombre", "Avance"], iter([["Ñeri", 75], ["=1+1", None]]))
    sheet = load_workbook(BytesIO(content)).active
    assert [c.value for c in sheet[1]] == ["Nombre", "Avance"]
    assert [c.value for c in sheet[2]] == ["Ñeri", 75]
    assert sheet["A3"].value == "'=1+1"
