"""CSV downloads, written once for every app: UTF-8 with a byte-order mark (so spreadsheet
programs read the accents), spreadsheet formulas in text neutralised, marked for no cache to
keep. Large exports stream row by row (`stream=True`); CSV files inside an archive (the personal
data download) are written by `csv_lines` too. No database access."""

import csv
from collections.abc import Iterable, Iterator
from datetime import date, datetime

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> str:
    """Text a spreadsheet shows as text: a leading formula character gets a quote before it."""
    text = str(value)
    return "'" + text if text[:1] in FORMULA_STARTS else text


def csv_cell(value: object) -> object:
    """A cell: numbers as they are, dates and times in local time, everything else safe text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return csv_safe(value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return local.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return csv_safe(value)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(header: list, rows: Iterable[list]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([csv_cell(v) for v in header])
    for row in rows:
        yield writer.writerow([csv_cell(v) for v in row])


def csv_response(
    filename: str, header: list, rows: Iterable[list], *, stream: bool = False
) -> HttpResponse | StreamingHttpResponse:
    """A CSV download named `filename` (without .csv); `stream` sends it as the rows are read."""
    lines = csv_lines(header, rows)
    content_type = "text/csv; charset=utf-8"
    if stream:
        response = StreamingHttpResponse(lines, content_type=content_type)
    else:
        response = HttpResponse("".join(lines), content_type=content_type)
    return attachment(response, f"{filename}.csv")


def attachment(
    response: HttpResponse | StreamingHttpResponse, filename: str
) -> HttpResponse | StreamingHttpResponse:
    """Mark a response as a download named `filename` that no cache keeps (CSV, XLSX)."""
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
