"""The data-access ZIP (ARCO "access"): everything the platform holds about one person, as one
`data.json` and a CSV per section, built in the background with its progress recorded."""

import io
import json
import logging
import zipfile
from datetime import date, datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from lms.csv_download import csv_lines
from lms.models import User

from .models import DataExport
from .registry import DataSection, data_sections

logger = logging.getLogger(__name__)


def _plain(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict | list | str | int | float | bool) or value is None:
        return value
    return str(value)


def _csv(rows: list[dict]) -> str:
    """One section as CSV, written like every CSV download of the site (lms.csv_download)."""
    columns: list[str] = []
    for row in rows:
        columns += [key for key in row if key not in columns]

    def cell(value: object) -> object:
        return json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value

    return "".join(
        csv_lines(columns or ["empty"], ([cell(row.get(c)) for c in columns] for row in rows))
    )


def build_zip(sections: list[DataSection]) -> bytes:
    """Pure: the ZIP bytes of the given sections."""
    payload = {s.name: [{k: _plain(v) for k, v in row.items()} for row in s.rows] for s in sections}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(payload, ensure_ascii=False, indent=2))
        for name, rows in payload.items():
            archive.writestr(f"{name}.csv", _csv(rows))
    return buffer.getvalue()


@transaction.atomic
def data_export_request(*, user: User, requested_by: User | None = None) -> DataExport:
    """Queue a new data-access ZIP for the person; the task starts after commit. A person with an
    export already queued or being built gets that one back (no pile-up of work)."""
    from .tasks import build_data_export

    pending = DataExport.objects.filter(
        user=user, state__in=[DataExport.State.QUEUED, DataExport.State.BUILDING]
    ).first()
    if pending is not None:
        return pending
    export = DataExport.objects.create(user=user, requested_by=requested_by or user)
    transaction.on_commit(lambda: build_data_export.delay(export.pk))
    return export


def data_export_build(*, export_id: int) -> DataExport | None:
    """Build the ZIP of an export (idempotent: a ready export is left alone). Progress goes from 0
    to 100 as each app's section is read, committed as it goes so the page can show it."""
    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.state == DataExport.State.READY:
        return export
    DataExport.objects.filter(pk=export.pk).update(state=DataExport.State.BUILDING, progress=5)
    try:
        sections = data_sections(export.user)
        DataExport.objects.filter(pk=export.pk).update(progress=70)
        content = build_zip(sections)
    except Exception:
        logger.exception("data export %s failed", export.pk)
        DataExport.objects.filter(pk=export.pk).update(state=DataExport.State.FAILED)
        raise
    export.file.save(f"datos-{export.user_id}-{export.pk}.zip", ContentFile(content), save=False)
    DataExport.objects.filter(pk=export.pk).update(
        file=export.file.name,
        state=DataExport.State.READY,
        progress=100,
        finished_at=timezone.now(),
    )
    export.refresh_from_db()
    return export
