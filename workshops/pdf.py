"""The printable sign-in sheet of a session (WeasyPrint, the system's DejaVu fonts)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone


def signin_sheet_pdf(session, registrations) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "workshops/signin_sheet.html",
        {
            "session": session,
            "workshop": session.page,
            "registrations": registrations,
            "blank_rows": range(max(5, min(15, session.capacity - len(registrations)))),
            "generated": timezone.now(),
        },
    )
    return HTML(string=html, base_url=settings.SITE_URL).write_pdf()
