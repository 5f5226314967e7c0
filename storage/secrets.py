"""The installation secret, and what is derived from it: pseudonyms and encryption.

The secret is generated into DATA_DIR with mode 0600 on first start, or given by
VRAAGBAAK_SECRET_KEY. Without it a pseudonym cannot be linked back to a Telegram id, and an
encrypted chat id cannot be read.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

SECRET_FILE = "secret.key"


def read_secret(data_dir: Path) -> bytes | None:
    path = data_dir / SECRET_FILE
    return path.read_bytes().strip() if path.exists() else None


def make_private(data_dir: Path) -> None:
    """The data directory (database, secret) for the bot's user alone."""
    if data_dir.is_dir():
        data_dir.chmod(0o700)


def new_secret() -> bytes:
    return secrets.token_hex(32).encode()


def write_secret(data_dir: Path, value: bytes) -> bytes:
    """Write `value` as the secret file (0600, in a 0700 directory); the file's secret, which is
    another process's if it wrote first."""
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = data_dir / SECRET_FILE
    # O_EXCL: two processes starting at once cannot both write a different secret.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    with os.fdopen(fd, "wb") as handle:
        handle.write(value)
    return value


def load_or_create_secret(data_dir: Path, given: str | None = None) -> bytes:
    """Without a database to check against (the bot itself uses storage/key_check.py)."""
    if given:
        return given.encode()
    return read_secret(data_dir) or write_secret(data_dir, new_secret())


def derive(secret: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"vraagbaak:" + purpose).derive(secret)


class Pseudonymizer:
    """Keyed hash of a Telegram id: stable for one installation, meaningless without the secret."""

    def __init__(self, secret: bytes) -> None:
        self._key = derive(secret, b"pseudonym")

    def __call__(self, telegram_id: int) -> str:
        return hmac.new(self._key, f"user:{telegram_id}".encode(), hashlib.sha256).hexdigest()

    def token(self, purpose: str, value: str) -> str:
        """A keyed hash for other lookups (e.g. an alias), separated by purpose."""
        return hmac.new(self._key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


class Cipher:
    """Authenticated encryption (Fernet: AES-128-CBC + HMAC-SHA256) for values kept for a while."""

    def __init__(self, secret: bytes) -> None:
        self._fernet = Fernet(base64.urlsafe_b64encode(derive(secret, b"encryption")))

    def encrypt(self, plain: bytes) -> bytes:
        return self._fernet.encrypt(plain)

    def decrypt(self, token: bytes) -> bytes | None:
        try:
            return self._fernet.decrypt(token)
        except InvalidToken:
            return None

    def encrypt_int(self, value: int) -> bytes:
        return self.encrypt(str(value).encode())

    def decrypt_int(self, token: bytes) -> int | None:
        plain = self.decrypt(token)
        return int(plain) if plain is not None else None
