"""Export tables (cohort progress, quiz results, attendance; programme figures) as CSV or XLSX.

A table is a header and an iterable of rows of plain values; the writers stream them. CSV is
written by `lms.csv_download` like every CSV of the site: text that a spreadsheet would run as a
formula gets an apostrophe before it (CSV has no types). In XLSX every text cell is typed as text
(a string cell with the "@" text format), which no spreadsheet runs, so the text is written
exactly as it is.
"""

from collections.abc import Iterable, Iterator
from datetime import date, datetime
from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _

from . import status
from .dashboard import CELL_LEGEND

EXPORT_KINDS = ("progress", "quizzes", "attendance")
FORMATS = ("csv", "xlsx")


def plain(value: object) -> object:
    """A value a CSV cell or a spreadsheet cell can hold: yes or no in words, dates in local
    time without tzinfo, text as text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, int | float | date):
        return value
    return str(value)


def plain_row(row: Iterable) -> list:
    return [plain(v) for v in row]


def _score(results: dict | None, key: str):
    if not results:
        return None
    value = results.get(key)
    return round(float(value), 1) if value is not None else None


def _person(row) -> list:
    user = row.user
    organisation = user.organisation
    return [
        user.full_name,
        user.email,
        str(organisation) if organisation else "",
        organisation.get_kind_display() if organisation else "",
    ]


def person_header() -> list[str]:
    return [_("Name"), _("E-mail"), _("Organisation"), _("Organisation kind")]


def progress_table(rows: Iterable, columns) -> tuple[list[str], Iterator[list]]:
    header = [
        *person_header(),
        _("Status"),
        _("Completion %"),
        _("Stuck"),
        _("Why not finished"),
        _("Last activity"),
        _("Completed on"),
        _("Certificate"),
        *[f"{c.number} {c.title}" for c in columns],
    ]
    labels = {cell[0]: str(label) for cell, label in CELL_LEGEND}

    def body():
        for row in rows:
            yield [
                *_person(row),
                str(status.STANDING_LABELS[row.standing]),
                row.percent,
                row.stuck,
                " ".join(row.reasons),
                row.enrolment.last_activity_at,
                row.enrolment.completed_at,
                # As printed on the certificate (ABCDE-FGH23), so a search for it finds it.
                getattr(row.certificate, "display_code", None) or (row.certificate is not None),
                *[labels[css] for css, _symbol in row.cells],
            ]

    return header, body()


def quizzes_table(rows: Iterable) -> tuple[list[str], Iterator[list]]:
    header = [
        *person_header(),
        _("Best quiz score %"),
        _("Pre-test %"),
        _("Post-test %"),
        _("Learning gain (points)"),
        _("Failed the last allowed attempt"),
    ]

    def body():
        for row in rows:
            quiz = row.quiz or {}
            yield [
                *_person(row),
                _score(quiz, "best_score"),
                _score(quiz, "pre"),
                _score(quiz, "post"),
                _score(quiz, "gain"),
                bool(quiz.get("failed_out")),
            ]

    return header, body()


def attendance_table(rows: Iterable) -> tuple[list[str], Iterator[list]]:
    header = [*person_header(), _("Registered"), _("Attended"), _("Absent"), _("Excused")]

    def body():
        for row in rows:
            att = row.attendance or {}
            yield [
                *_person(row),
                att.get("registered", 0),
                att.get("attended", 0),
                att.get("absent", 0),
                att.get("excused", 0),
            ]

    return header, body()


def xlsx_bytes(sheet_title: str, header: list[str], body: Iterable[list]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31] or "Datos")
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)

    def cell(value, font=None):
        value = plain(value)
        item = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            # openpyxl reads a leading "=" as a formula; typed as text it is shown, never run.
            item.data_type = "s"
            item.number_format = "@"
        if font is not None:
            item.font = font
        return item

    sheet.append([cell(title, bold) for title in header])
    for row in body:
        sheet.append([cell(v) for v in row])
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()
