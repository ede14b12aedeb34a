"""Rotating self check-in codes (no database): an HMAC of the session id and a time window."""

import hashlib
import hmac
from datetime import datetime

WINDOW_SECONDS = 300
DIGITS = 6


def window_of(moment: datetime) -> int:
    return int(moment.timestamp()) // WINDOW_SECONDS


def code_for(secret: str, session_id: int, window: int) -> str:
    message = f"workshops.checkin:{session_id}:{window}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    number = int.from_bytes(digest[:8], "big") % 10**DIGITS
    return f"{number:0{DIGITS}d}"


def current_code(secret: str, session_id: int, now: datetime) -> str:
    return code_for(secret, session_id, window_of(now))


def seconds_left(now: datetime) -> int:
    return WINDOW_SECONDS - int(now.timestamp()) % WINDOW_SECONDS


def normalise(code: str) -> str:
    return "".join(ch for ch in (code or "") if ch.isdigit())


def verify(secret: str, session_id: int, code: str, now: datetime) -> bool:
    """True for the code of the current window or of the previous one (a code shown just before it
    turned)."""
    given = normalise(code)
    if len(given) != DIGITS:
        return False
    window = window_of(now)
    return any(
        hmac.compare_digest(given, code_for(secret, session_id, w)) for w in (window, window - 1)
    )
