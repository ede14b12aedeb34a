from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name", ["certificates/pdf/ABCDE-FGHJK-1-00ff.pdf", "workshops/materials/x.pdf", "private.txt"]
)
def test_private_media_is_never_served_by_url(client, name):
    """Certificates and uploads are reached only through views that check who is asking."""
    path = Path(settings.MEDIA_ROOT) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.7 secret")
    try:
        response = client.get(settings.MEDIA_URL + name)
        assert response.status_code == 404
    finally:
        path.unlink()


def test_images_are_public_media(client):
    path = Path(settings.MEDIA_ROOT) / "images" / "logo.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x89PNG\r\n\x1a\n")
    try:
        assert client.get(settings.MEDIA_URL + "images/logo.png").status_code == 200
    finally:
        path.unlink()
