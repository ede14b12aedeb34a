"""The CSV and XLSX writers."""

from io import BytesIO

from openpyxl import load_workbook

from reports import exports


def test_xlsx_has_a_header_and_the_rows():
    content = exports.xlsx_bytes(
        "Avance", ["Nombre", "Avance"], iter([["Ñeri", 75], ["=1+1", None]])
    )
    sheet = load_workbook(BytesIO(content)).active
    assert [c.value for c in sheet[1]] == ["Nombre", "Avance"]
    assert [c.value for c in sheet[2]] == ["Ñeri", 75]
    assert sheet["A3"].value == "=1+1"  # shown as typed: a text cell, not a formula nor a guard


def test_xlsx_text_cells_are_typed_text_without_a_visible_guard():
    """The CSV guard (') is for a format without types; in XLSX the cell is a string cell with the
    text format, which Excel and LibreOffice show as written and never evaluate."""
    import zipfile

    values = ['=HYPERLINK("http://x")', "+52 55 1234", "-menos", "@cmd", "Ana"]
    content = exports.xlsx_bytes("Datos", ["Texto"], iter([[v] for v in values]))
    sheet = load_workbook(BytesIO(content)).active
    cells = [sheet.cell(row=i, column=1) for i in range(2, 2 + len(values))]
    assert [c.value for c in cells] == values
    assert all(c.data_type == "s" and c.number_format == "@" for c in cells)
    xml = zipfile.ZipFile(BytesIO(content)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "'=" not in xml and "&apos;=" not in xml


def test_plain_values_say_yes_or_no_in_words_and_drop_the_time_zone():
    from datetime import UTC, datetime

    from django.utils import timezone

    aware = datetime(2026, 3, 1, 18, 30, tzinfo=UTC)
    row = exports.plain_row([True, False, None, aware, 3, "=1+1"])
    assert row[:3] == ["Sí", "No", ""]  # Spanish first
    assert row[3] == timezone.localtime(aware).replace(tzinfo=None)
    assert row[4:] == [3, "=1+1"]  # the CSV writer adds the guard, the XLSX writer types it


def test_the_progress_export_writes_certificate_codes_as_printed():
    from types import SimpleNamespace

    from certificates.models import Certificate
    from reports import status

    user = SimpleNamespace(full_name="Ana", email="ana@example.org", organisation=None)
    row = SimpleNamespace(
        user=user,
        standing=next(iter(status.STANDING_LABELS)),
        percent=100,
        stuck=False,
        reasons=[],
        enrolment=SimpleNamespace(last_activity_at=None, completed_at=None),
        certificate=Certificate(code="ABCDEFGH23"),
        cells=[],
    )
    header, body = exports.progress_table([row], [])
    [line] = list(body)
    assert "ABCDE-FGH23" in line
