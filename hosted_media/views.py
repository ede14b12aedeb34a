"""Serves a hosted item's files at stable addresses on the site, so a cached lesson never holds
a signed bucket URL that has expired.

A storage that has its own address for a file (the S3 bucket: a short-lived signed URL, which
answers Range requests itself) gets a redirect; a local folder is streamed here, with byte ranges
so that phones (Safari needs them) can play and seek. Captions are always streamed from here:
a <track> must come from the page's own origin.
"""

import os
import re
from urllib.parse import urlparse

from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_safe

from .models import VARIANTS, HostedMedia

RANGE = re.compile(r"bytes=(\d*)-(\d*)")
CHUNK = 64 * 1024
# File names change when a file is replaced, and the address holds the name: keep for a day.
STREAM_CACHE = "public, max-age=86400"
REDIRECT_CACHE = "private, max-age=60"


@require_safe
def media_file(request, media_id: int, variant: str, filename: str):
    if variant not in VARIANTS:
        raise Http404
    media = get_object_or_404(HostedMedia, pk=media_id)
    field = getattr(media, VARIANTS[variant])
    if not field or os.path.basename(field.name) != filename:
        raise Http404
    content_type = media.content_type_of(variant)
    if not variant.startswith("subtitulos-"):
        url = field.storage.url(field.name)
        if urlparse(url).scheme in ("http", "https"):
            response = redirect(url)
            response["Cache-Control"] = REDIRECT_CACHE
            return response
    else:
        content_type = "text/vtt; charset=utf-8"
    try:
        size = field.storage.size(field.name)
        handle = field.storage.open(field.name, "rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = _ranged(request, handle, size, content_type)
    response["Cache-Control"] = STREAM_CACHE
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _ranged(request, handle, size: int, content_type: str):
    """The whole file, or the single byte range the request asks for (RFC 9110 §14)."""
    match = RANGE.fullmatch(request.headers.get("Range", "").strip())
    if not match or not any(match.groups()):
        response = FileResponse(handle, content_type=content_type)
        response["Accept-Ranges"] = "bytes"
        return response
    first, last = match.groups()
    if first:
        start, end = int(first), min(int(last) if last else size - 1, size - 1)
    else:
        start, end = max(size - int(last), 0), size - 1
    if start >= size or start > end:
        handle.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    handle.seek(start)
    response = StreamingHttpResponse(
        _read(handle, end - start + 1), status=206, content_type=content_type
    )
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    return response


def _read(handle, length: int):
    with handle:
        while length > 0:
            chunk = handle.read(min(CHUNK, length))
            if not chunk:
                return
            length -= len(chunk)
            yield chunk
