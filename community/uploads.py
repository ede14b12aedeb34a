"""Checks a post's attachment by its content (no database): an image, or a document under the
rules of workshop materials (`workshops.uploads.check_material`: PDF, PPTX or ODP, same limits)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from lms.uploads import UploadRejected, sniffed
from workshops.uploads import MAX_BYTES, MaterialRejected, check_material

IMAGE_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/gif": "gif"}
MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000


class AttachmentRejected(UploadRejected):
    pass


@dataclass(frozen=True)
class AttachmentType:
    extension: str
    is_image: bool


def check_attachment(fileobj, *, size: int) -> AttachmentType:
    """The attachment's real type, or AttachmentRejected with a message for the person posting."""
    if size <= 0:
        raise AttachmentRejected(_("The file is empty."))
    head, mime = sniffed(fileobj)
    if mime in IMAGE_TYPES:
        return AttachmentType(_check_image(fileobj, mime, size), True)
    if (
        mime not in ("application/pdf", "application/zip")
        and not mime.startswith("application/vnd.")
        and not head.startswith(b"PK")
    ):
        raise AttachmentRejected(
            _(
                "Attach an image (JPEG, PNG, WebP, GIF) or a PDF, PowerPoint or OpenDocument "
                "presentation."
            )
        )
    try:
        material = check_material(fileobj, size=size, max_bytes=MAX_BYTES)
    except MaterialRejected as error:
        raise AttachmentRejected(error.message) from error
    return AttachmentType(material.extension, False)


def _check_image(fileobj, mime: str, size: int) -> str:
    if size > MAX_IMAGE_BYTES:
        raise AttachmentRejected(
            _("The image is too large: the limit is %(mb)s MB.")
            % {"mb": MAX_IMAGE_BYTES // (1024 * 1024)}
        )
    try:
        with Image.open(fileobj) as image:
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise AttachmentRejected(_("The image is damaged or is not an image.")) from error
    finally:
        fileobj.seek(0)
    if width * height > MAX_IMAGE_PIXELS:
        raise AttachmentRejected(_("The image has too many pixels."))
    return IMAGE_TYPES[mime]
