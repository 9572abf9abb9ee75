"""Secrets kept in the database, sealed with a key derived from FINSAM_SECRET_KEY.

A copy of the database or a backup alone then does not give away the two-factor secrets: whoever
holds one could otherwise make every office and board member's codes. Fernet (AES-128-CBC with
an HMAC-SHA256 tag) from `cryptography` does the sealing; the key is derived with HKDF so that
the secret key's other use (signing CSRF tokens) never sees the same bytes.
"""

from __future__ import annotations

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PREFIX = "sealed:"  # a value written before sealing (a bare base32 secret) has none


class SealBroken(Exception):
    """A sealed value that this key cannot open: the secret key was changed since it was sealed."""


@lru_cache(maxsize=4)
def _fernet(secret_key: str) -> Fernet:
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"finsam-portfolio sealed values"
    ).derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def seal(plain: str, secret_key: str) -> str:
    return PREFIX + _fernet(secret_key).encrypt(plain.encode()).decode("ascii")


def unseal(stored: str, secret_key: str) -> str:
    """The plain value; one stored before sealing was introduced is returned as it is."""
    if not stored.startswith(PREFIX):
        return stored
    try:
        return _fernet(secret_key).decrypt(stored.removeprefix(PREFIX).encode()).decode()
    except InvalidToken as exc:
        raise SealBroken("the value was sealed with another secret key") from exc


def is_sealed(stored: str) -> bool:
    return stored.startswith(PREFIX)
