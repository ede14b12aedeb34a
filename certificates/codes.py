"""Verification codes: short, unguessable and easy to type from paper (no database access).

The alphabet leaves out characters that are read or typed as one another: 0/O, 1/I/L and U
(which reads as V on many fonts). Ten characters from 30 give about 49 bits of entropy; the
verification page is rate-limited, so guessing a valid code is not practical.
"""

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 10
GROUP = 5

# What people type instead of the canonical characters.
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def generate_code() -> str:
    """A new random code in canonical form (upper case, no separators)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def format_code(code: str) -> str:
    """The code as printed: groups of five joined by a hyphen (``ABCDE-FGHJK``)."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def normalise_code(raw: str) -> str | None:
    """Canonical form of what someone typed, or None when it cannot be a code.

    Spaces, hyphens and case are ignored; look-alike letters map to what they resemble, which
    is never in the alphabet, so a mistyped O or I is rejected rather than matched wrongly.
    """
    cleaned = "".join(ch for ch in (raw or "").upper() if ch not in " -_.\t\n").translate(
        _LOOKALIKES
    )
    if len(cleaned) != LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return None
    return cleaned
