"""Bitstring Status List encoding (W3C VC Bitstring Status List v1.0); no database.

Index 0 is the left-most bit of the first byte. The list is GZIP-compressed and written as
multibase base64url without padding (``u`` prefix). 131,072 entries (16 KiB) is the size the
specification recommends so one credential's status reveals nothing about whose it is.
"""

import base64
import gzip
from collections.abc import Iterable

LIST_SIZE = 131_072


def encode(positions: Iterable[int], *, size: int = LIST_SIZE) -> str:
    bits = bytearray(size // 8)
    for position in positions:
        if not 0 <= position < size:
            raise ValueError(f"Status index {position} is outside the list.")
        bits[position // 8] |= 0x80 >> (position % 8)
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode("ascii").rstrip("=")


def decode(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("The encoded list is not multibase base64url.")
    data = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))


def is_set(bits: bytes, position: int) -> bool:
    if not 0 <= position < len(bits) * 8:
        raise ValueError(f"Status index {position} is outside the list.")
    return bool(bits[position // 8] & (0x80 >> (position % 8)))


def locate(number: int) -> tuple[int, int]:
    """A credential's running number → (list number from 1, index in that list)."""
    return number // LIST_SIZE + 1, number % LIST_SIZE
