"""Checks an uploaded presentation by its content (no database): PDF, PPTX or ODP, within limits.

The file name and the browser's content type are ignored: `filetype` reads the magic bytes and,
for the zipped formats, the archive must also have the structure of a presentation.
"""

import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from lms.uploads import UploadRejected, sniffed

PDF = "application/pdf"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODP = "application/vnd.oasis.opendocument.presentation"
EXTENSIONS = {PDF: "pdf", PPTX: "pptx", ODP: "odp"}

MAX_BYTES = 20 * 1024 * 1024
MAX_ZIP_ENTRIES = 5000
MAX_UNCOMPRESSED = 200 * 1024 * 1024


class MaterialRejected(UploadRejected):
    pass


@dataclass(frozen=True)
class MaterialType:
    mime: str
    extension: str


def _check_zip(fileobj, mime: str) -> None:
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise MaterialRejected(_("The file is damaged or is not a presentation.")) from error
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ZIP_ENTRIES or sum(i.file_size for i in infos) > MAX_UNCOMPRESSED:
            raise MaterialRejected(_("The presentation is too large once unpacked."))
        names = {i.filename for i in infos}
        if mime == PPTX:
            ok = "[Content_Types].xml" in names and "ppt/presentation.xml" in names
        else:
            try:
                ok = archive.read("mimetype").strip() == ODP.encode() and "content.xml" in names
            except KeyError:
                ok = False
        if not ok:
            raise MaterialRejected(_("The file is damaged or is not a presentation."))


def check_material(fileobj, *, size: int, max_bytes: int = MAX_BYTES) -> MaterialType:
    """The file's real type, or MaterialRejected with a message for the person uploading it."""
    if size <= 0:
        raise MaterialRejected(_("The file is empty."))
    if size > max_bytes:
        raise MaterialRejected(
            _("The file is too large: the limit is %(mb)s MB.") % {"mb": max_bytes // (1024 * 1024)}
        )
    head, mime = sniffed(fileobj)
    if mime == "application/zip" or (head.startswith(b"PK\x03\x04") and mime not in (PPTX, ODP)):
        # filetype only looks at the first entries; a presentation saved by some tools looks like a
        # zip.
        mime = _zipped_presentation_type(fileobj)
    if mime not in EXTENSIONS:
        raise MaterialRejected(
            _("Only PDF, PowerPoint (.pptx) and OpenDocument (.odp) presentations are accepted.")
        )
    if mime in (PPTX, ODP):
        _check_zip(fileobj, mime)
        fileobj.seek(0)
    elif b"%PDF-" not in head[:1024]:
        raise MaterialRejected(_("The file is damaged or is not a presentation."))
    return MaterialType(mime=mime, extension=EXTENSIONS[mime])


def _zipped_presentation_type(fileobj) -> str:
    try:
        with zipfile.ZipFile(fileobj) as archive:
            names = set(archive.namelist())
            if "ppt/presentation.xml" in names:
                return PPTX
            if "mimetype" in names and archive.read("mimetype").strip() == ODP.encode():
                return ODP
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return ""
    finally:
        fileobj.seek(0)
    return ""
