import pytest

from hosted_media.demo import ASSETS


def asset(name: str) -> bytes:
    return (ASSETS / name).read_bytes()


@pytest.fixture
def media_item(db):
    """The demo's hosted video: light and audio-only versions, Spanish and English captions."""
    from hosted_media.demo import demo_media

    return demo_media()
