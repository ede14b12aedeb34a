"""The S3-compatible bucket behind every file the platform keeps (settings:
AWS_STORAGE_BUCKET_NAME)."""

from urllib.parse import quote

from django.conf import settings
from storages.backends.s3 import S3Storage

PUBLIC_PREFIXES = ("images/", "original_images/")


class MediaStorage(S3Storage):
    """A private bucket. Images keep addresses on the site, so pages that show them can be kept by
    the HTTP cache for longer than any signed URL lives; every other file is reached through a
    view that checks who asks, or a signed URL that expires after `querystring_expire` seconds."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        if name.startswith(PUBLIC_PREFIXES):
            return settings.MEDIA_URL + quote(name)
        return super().url(name, parameters=parameters, expire=expire, http_method=http_method)
