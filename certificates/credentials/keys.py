"""Ed25519 signing keys from settings, and their Multikey (multibase) encodings; no database.

A key is configured as ``<key-id>=<secretKeyMultibase>``: the multibase (base58btc, ``z``) of the
Ed25519 secret-key multicodec header 0x8026 followed by the 32-byte seed. The first configured
key signs; the others are retired keys, still published so credentials they signed verify.
"""

import re
from dataclasses import dataclass

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

PUBLIC_HEADER = b"\xed\x01"  # multicodec ed25519-pub
SECRET_HEADER = b"\x80\x26"  # multicodec ed25519-priv
KEY_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class InvalidKey(ValueError):
    """A configured key that cannot be read."""


def multibase_encode(data: bytes) -> str:
    return "z" + base58.b58encode(data).decode("ascii")


def multibase_decode(value: str) -> bytes:
    if not value.startswith("z"):
        raise InvalidKey("Only base58btc multibase values (starting with 'z') are supported.")
    return base58.b58decode(value[1:])


def public_key_multibase(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return multibase_encode(PUBLIC_HEADER + raw)


def public_key_from_multibase(value: str) -> Ed25519PublicKey:
    data = multibase_decode(value)
    if not data.startswith(PUBLIC_HEADER) or len(data) != 34:
        raise InvalidKey("Not an Ed25519 Multikey public key.")
    return Ed25519PublicKey.from_public_bytes(data[2:])


@dataclass(frozen=True)
class SigningKey:
    """One Ed25519 key of the issuer, named by the fragment of its verification method."""

    key_id: str
    private_key: Ed25519PrivateKey

    @property
    def public_multibase(self) -> str:
        return public_key_multibase(self.private_key.public_key())

    def sign(self, data: bytes) -> bytes:
        return self.private_key.sign(data)


def secret_multibase(private_key: Ed25519PrivateKey) -> str:
    seed = private_key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return multibase_encode(SECRET_HEADER + seed)


def parse_key(value: str) -> SigningKey:
    """``<key-id>=<secretKeyMultibase>`` as a SigningKey; InvalidKey with a clear message if not."""
    key_id, _sep, secret = value.strip().partition("=")
    if not KEY_ID_RE.match(key_id) or not secret:
        raise InvalidKey("A credential key is written as <key-id>=<secretKeyMultibase>.")
    data = multibase_decode(secret)
    if not data.startswith(SECRET_HEADER) or len(data) != 34:
        raise InvalidKey(f"Key {key_id!r} is not an Ed25519 Multikey secret key.")
    return SigningKey(key_id=key_id, private_key=Ed25519PrivateKey.from_private_bytes(data[2:]))


def parse_keys(values: list[str]) -> list[SigningKey]:
    keys = [parse_key(value) for value in values if value.strip()]
    if len({key.key_id for key in keys}) != len(keys):
        raise InvalidKey("Two credential keys have the same id.")
    return keys


def generate_key(key_id: str) -> str:
    """A new key in the configured form, ``<key-id>=<secretKeyMultibase>``."""
    if not KEY_ID_RE.match(key_id):
        raise InvalidKey("A key id is 1 to 64 letters, digits, '-' or '_'.")
    return f"{key_id}={secret_multibase(Ed25519PrivateKey.generate())}"


def verify_signature(public_key: Ed25519PublicKey, signature: bytes, data: bytes) -> bool:
    try:
        public_key.verify(signature, data)
    except InvalidSignature:
        return False
    return True
