"""Certificate PDF rendering from a plain context (no database access).

The HTML comes from a Django template with autoescaping, so a learner's name is always text;
placeholders in the editor's body are filled after escaping. WeasyPrint may fetch only the
project's own static files and media through `ProjectURLFetcher`; anything else is refused.
"""

import html
import io
import mimetypes
import posixpath
import re
import threading
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.safestring import mark_safe
from PIL import Image
from weasyprint import CSS, HTML, Attachment
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Fetches resolve under this origin only; it never leaves the process.
INTERNAL_BASE = "https://certificate.internal/"
GENERATED_PATH = "/generated/"
PDF_VARIANT = "pdf/a-3b"
QR_NAME = "qr.png"
# Pixels per QR module. The image is drawn without smoothing (`image-rendering: pixelated`
# writes /Interpolate false), so modules stay sharp at any zoom; at 3 px a reader that smooths
# anyway blurs them by less than a third of a module.
QR_PIXELS_PER_MODULE = 3
# Printed size of one module, and the quiet zone in modules (ISO/IEC 18004 asks for 4). Chosen so
# that a phone's capture of the whole page, 600 px wide and slightly blurred, still decodes: at
# 297 mm for 600 px a module is QR_MODULE_MM * 2.02 px (tests/certificates/test_qr_capture.py).
QR_MODULE_MM = 1.6
QR_BORDER = 4
QR_ERROR = "m"
# Alphanumeric mode (upper case, digits, " $%*+-./:") packs a URL into fewer, hence larger,
# modules than byte mode. Scheme and host ignore case, and /V/<CODE> answers like /v/<code>.
_QR_ALPHANUMERIC = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
_SHORT_VERIFY_PATH = re.compile(r"^/v/[A-Za-z0-9-]+/?$")


class RenderError(Exception):
    """A certificate that cannot be rendered as designed (a permanent failure)."""


@dataclass(frozen=True)
class Signature:
    name: str
    role: str
    image_path: str = ""  # path in media storage, e.g. "original_images/firma.png"


@dataclass(frozen=True)
class CertificateContext:
    """Everything printed on a certificate, as plain values."""

    learner_name: str
    course_title: str
    hours: str
    completion_date: object  # datetime.date
    issue_date: object
    code: str  # as printed, e.g. "ABCDE-FGHJK"
    verify_url: str
    title: str = "Constancia de participación"
    body: str = "{learner_name}\n{course}"
    language: str = "es"
    orientation: str = "landscape"
    signatories: tuple[Signature, ...] = ()
    logo_paths: tuple[str, ...] = ()
    expires_on: object = None
    author: str = ""
    extra: dict = field(default_factory=dict)
    # Files embedded as PDF/A-3 associated files: (file name, content, description).
    attachments: tuple[tuple[str, bytes, str], ...] = ()


class ProjectURLFetcher(URLFetcher):
    """Serve the project's static files and media to WeasyPrint, and nothing else.

    Only URLs under `INTERNAL_BASE` + STATIC_URL or MEDIA_URL are answered, after normalising
    the path so ``..`` cannot climb out; every other scheme or host raises, which WeasyPrint
    reports and skips (the certificate renders without that resource).
    """

    def __init__(self, generated: dict[str, bytes] | None = None, **kwargs):
        super().__init__(allowed_protocols=("https",), allow_redirects=False, **kwargs)
        # Images made for this render (the QR code), served under GENERATED_PATH.
        self.generated = generated or {}

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}/" != INTERNAL_BASE or parts.query:
            raise ValueError(f"Refused to fetch {url!r}")
        path = posixpath.normpath(unquote(parts.path))
        if "\x00" in path or "/../" in f"{path}/" or not path.startswith("/"):
            raise ValueError(f"Refused to fetch {url!r}")
        body = (
            self.generated.get(path.removeprefix(GENERATED_PATH))
            if path.startswith(GENERATED_PATH)
            else self._read(path)
        )
        if body is None:
            raise ValueError(f"Not found: {url!r}")
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})

    @staticmethod
    def _read(path: str) -> bytes | None:
        static_url, media_url = settings.STATIC_URL, settings.MEDIA_URL
        if path.startswith(static_url):
            from django.contrib.staticfiles import finders

            found = finders.find(path.removeprefix(static_url))
            if not found:
                return None
            with open(found, "rb") as handle:
                return handle.read()
        if path.startswith(media_url):
            from django.core.files.storage import default_storage

            name = path.removeprefix(media_url)
            if not default_storage.exists(name):
                return None
            with default_storage.open(name, "rb") as handle:
                return handle.read()
        return None


def media_url(path: str) -> str:
    return INTERNAL_BASE.rstrip("/") + settings.MEDIA_URL + path.lstrip("/")


def static_url(path: str) -> str:
    return INTERNAL_BASE.rstrip("/") + settings.STATIC_URL + path.lstrip("/")


def qr_payload(url: str) -> str:
    """What the QR code encodes: the short verification URL in upper case when it can be (no
    path prefix, only alphanumeric-mode characters), else the URL as printed."""
    parts = urlsplit(url)
    if (
        _SHORT_VERIFY_PATH.match(parts.path)
        and not parts.query
        and set(url.upper()) <= _QR_ALPHANUMERIC
    ):
        return url.upper()
    return url


def qr_size_mm(url: str) -> float:
    """How wide the QR code of `url` is printed, quiet zone included."""
    symbol = segno.make(qr_payload(url), error=QR_ERROR, micro=False)
    width, _height = symbol.symbol_size(scale=1, border=QR_BORDER)
    return round(width * QR_MODULE_MM, 2)


def qr_png(url: str) -> bytes:
    """The QR code for the URL as a greyscale PNG (segno; medium error correction, the standard's
    choice of mask), with a four-module quiet zone.

    A raster image rather than an SVG path: WeasyPrint draws an SVG path through its Python
    parser, which took a quarter of a certificate's render; a PNG is decoded and compressed in
    C. Poppler and Ghostscript decode it with zbar at 72 to 300 dpi (tests/certificates).
    """
    rows = list(
        segno.make(qr_payload(url), error=QR_ERROR, micro=False).matrix_iter(
            scale=1, border=QR_BORDER
        )
    )
    size = len(rows)
    pixels = bytes(0x11 if dark else 0xFF for row in rows for dark in row)
    image = Image.frombytes("L", (size, size), pixels)
    image = image.resize((size * QR_PIXELS_PER_MODULE,) * 2, Image.Resampling.NEAREST)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


_FIELD_RE = re.compile(r"\{(\w+)\}")


def body_paragraphs(template_body: str, values: dict[str, str]) -> list[str]:
    """The editor's body as HTML paragraphs: text escaped, placeholders filled with escaped values.

    The learner's name and the course title get their own classes so the design can stand them
    out. Unknown placeholders print as typed.
    """
    classes = {"learner_name": "name", "course": "course"}
    paragraphs = []
    for line in (template_body or "").splitlines():
        if not line.strip():
            continue
        escaped = html.escape(line, quote=False)

        def fill(match, _values=values):
            key = match.group(1)
            if key not in _values:
                return match.group(0)
            value = html.escape(str(_values[key]), quote=False)
            css = classes.get(key)
            return f'<span class="{css}">{value}</span>' if css else value

        filled = _FIELD_RE.sub(fill, escaped)
        only = _FIELD_RE.fullmatch(line.strip())
        css = classes.get(only.group(1), "") if only else ""
        markup = f'<p class="{css}">{filled}</p>' if css else f"<p>{filled}</p>"
        paragraphs.append(mark_safe(markup))  # noqa: S308
    return paragraphs


def _name_size(name: str) -> str:
    length = len(name)
    if length > 90:
        return "name-xs"
    if length > 60:
        return "name-s"
    if length > 38:
        return "name-m"
    return "name-l"


def signatory_columns(count: int) -> list[tuple[float, float]]:
    """(left, width) in percent of the page's content width for each of `count` signatories,
    centred in a row: 62 mm columns 18 mm apart on an A4 landscape page, narrower for four.

    Percentages, so the same row fits a portrait page. The signatories are placed, not laid
    out by flexbox: WeasyPrint's flex layout measured the content several times over.
    """
    if count <= 0:
        return []
    gap = 7.4 if count <= 3 else 4.0
    width = min(25.4, (100 - (count - 1) * gap) / count)
    start = (100 - count * width - (count - 1) * gap) / 2
    return [(round(start + i * (width + gap), 2), round(width, 2)) for i in range(count)]


# The page's content box (certificate.css: A4, 9 mm margin, 1.6 mm border, 16 mm side padding).
CONTENT_WIDTH_MM = {"landscape": 297 - 2 * (9 + 1.6 + 16), "portrait": 210 - 2 * (9 + 1.6 + 16)}


def _qr_layout(
    qr_mm: float, signatories: int, compact: bool, orientation: str = "landscape"
) -> dict:
    """Where the QR code sits and what makes room for it: the verification lines end left of it;
    signatories whose columns reach over it (with its quiet zone) move up, and the space kept
    for them with them, so no line or name touches the code."""
    bottom = 30.0 if compact else 34.0
    width = CONTENT_WIDTH_MM.get(orientation, CONTENT_WIDTH_MM["landscape"])
    reach = (
        max((left + span for left, span in signatory_columns(signatories)), default=0) * width / 100
    )
    raised = max(bottom, qr_mm + 1) if reach > width - qr_mm else bottom
    reserve = (50.0 if compact else 62.0) + raised - bottom
    return {
        "qr_mm": qr_mm,
        "verify_right": round(qr_mm + 2, 2),
        "signatory_bottom": round(raised, 2),
        "reserve_mm": round(reserve, 2),
    }


def certificate_html(context: CertificateContext, *, compact: bool = False) -> str:
    with translation.override(context.language):
        completion = formats.date_format(context.completion_date, "DATE_FORMAT")
        issue = formats.date_format(context.issue_date, "DATE_FORMAT")
        expires = (
            formats.date_format(context.expires_on, "DATE_FORMAT") if context.expires_on else ""
        )
        values = {
            "learner_name": context.learner_name,
            "course": context.course_title,
            "hours": context.hours,
            "completion_date": completion,
            "code": context.code,
        }
        return render_to_string(
            "certificates/pdf/certificate.html",
            {
                "c": context,
                "paragraphs": body_paragraphs(context.body, values),
                "completion": completion,
                "issue": issue,
                "expires": expires,
                "qr": INTERNAL_BASE.rstrip("/") + GENERATED_PATH + QR_NAME,
                **_qr_layout(
                    qr_size_mm(context.verify_url),
                    len(context.signatories),
                    compact,
                    context.orientation,
                ),
                "logos": [media_url(p) for p in context.logo_paths if p][:2],
                "signatories": [
                    {
                        "name": s.name,
                        "role": s.role,
                        "image": media_url(s.image_path) if s.image_path else "",
                        "left": left,
                        "width": width,
                    }
                    for s, (left, width) in zip(
                        context.signatories,
                        signatory_columns(len(context.signatories)),
                        strict=True,
                    )
                ],
                "name_size": _name_size(context.learner_name),
                "compact": compact,
            },
        )


_parsed = threading.local()


def _stylesheet() -> tuple[CSS, FontConfiguration]:
    """The certificate stylesheet and its embedded fonts, parsed and loaded once per thread.

    Parsing the CSS and loading three font files took most of a render's time; a worker renders
    many certificates, so it pays that once. Per thread, because Pango's font maps are not
    meant to be shared between threads (admin previews run in threaded web workers).
    """
    if getattr(_parsed, "value", None) is None:
        _parsed.value = _parse_stylesheet()
    return _parsed.value


def _parse_stylesheet() -> tuple[CSS, FontConfiguration]:
    font_config = FontConfiguration()
    css = render_to_string(
        "certificates/pdf/certificate.css",
        {
            "fonts": {
                "regular": static_url("certificates/fonts/NotoSans-Regular.ttf"),
                "bold": static_url("certificates/fonts/NotoSans-Bold.ttf"),
                "serif_bold": static_url("certificates/fonts/NotoSerif-Bold.ttf"),
            }
        },
    )
    stylesheet = CSS(
        string=css, base_url=INTERNAL_BASE, url_fetcher=ProjectURLFetcher(), font_config=font_config
    )
    return stylesheet, font_config


def render_certificate_pdf(context: CertificateContext) -> bytes:
    """The certificate as PDF/A-3b bytes, exactly one page.

    A long name or body that overflows is retried once in a compact layout; if it still takes
    more than one page, RenderError.
    """
    fetcher = ProjectURLFetcher(generated={QR_NAME: qr_png(context.verify_url)})
    stylesheet, font_config = _stylesheet()
    for compact in (False, True):
        source = HTML(
            string=certificate_html(context, compact=compact),
            base_url=INTERNAL_BASE,
            url_fetcher=fetcher,
        )
        document = source.render(stylesheets=[stylesheet], font_config=font_config)
        if len(document.pages) == 1:
            return document.write_pdf(
                pdf_variant=PDF_VARIANT, attachments=associated_files(context)
            )
    raise RenderError("The certificate does not fit on one page.")


def associated_files(context: CertificateContext) -> list[Attachment]:
    """The context's attachments as PDF/A-3 associated files (an alternative representation)."""
    return [
        Attachment(string=content, name=name, description=description, relationship="Alternative")
        for name, content, description in context.attachments
    ]


def one_line_pdf(text: str = "Hola") -> bytes:
    """The simplest page WeasyPrint renders: the benchmark's yardstick."""
    return HTML(string=f"<p>{html.escape(text)}</p>").write_pdf()
