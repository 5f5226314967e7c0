"""The installation secret, checked against the data it made before the bot uses it.

A key-check value (a keyed hash of a fixed text, saying nothing of the key) is stored in the database
on first start. Later starts refuse with one line when the secret does not match it: a different
VRAAGBAAK_SECRET_KEY, or a lost secret.key, would otherwise cut every conversation off and change
every pseudonym without a word. A missing secret.key is generated only for a database without data.
"""

from __future__ import annotations

import asyncio
import hmac
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import Conversation, Person, SecretBlob
from storage.secrets import SECRET_FILE, derive, make_private, new_secret, read_secret, write_secret

KEY_CHECK = "key_check"
RACE_READS = 5
RACE_WAIT_SECONDS = 0.2


class SecretKeyError(SystemExit):
    """Start-up stops with this one line (the key itself is never shown)."""


def key_check_value(secret: bytes) -> bytes:
    return hmac.digest(derive(secret, b"key-check"), b"vraagbaak key check v1", "sha256")


async def _has_data(session: AsyncSession) -> bool:
    for model in (Person, Conversation):
        if await session.scalar(select(1).select_from(model).limit(1)) is not None:
            return True
    return False


async def _check(sessions: async_sessionmaker[AsyncSession], secret: bytes, *, generated: bool) -> None:
    expected = key_check_value(secret)
    async with sessions() as session:
        stored = await session.get(SecretBlob, KEY_CHECK)
        if stored is not None:
            if hmac.compare_digest(stored.ciphertext, expected):
                return
            if generated:
                raise SecretKeyError(
                    f"secret key error: {SECRET_FILE} is missing and the database was made with "
                    "another key: restore it, or set VRAAGBAAK_SECRET_KEY to that key"
                )
            raise SecretKeyError(
                "secret key error: the secret key does not match the data (the database was made "
                "with another key)"
            )
        if generated and await _has_data(session):
            raise SecretKeyError(
                f"secret key error: {SECRET_FILE} is missing but the database holds data: restore "
                "it, or set VRAAGBAAK_SECRET_KEY to the key it was made with"
            )
        session.add(SecretBlob(key=KEY_CHECK, ciphertext=expected, expires_at=None))
        try:
            await session.commit()
        except IntegrityError:  # another instance recorded it a moment ago: check against theirs
            await session.rollback()
            await _check_again(sessions, expected)


async def _check_again(sessions: async_sessionmaker[AsyncSession], expected: bytes) -> None:
    async with sessions() as session:
        stored = await session.get(SecretBlob, KEY_CHECK)
    if stored is None or not hmac.compare_digest(stored.ciphertext, expected):
        raise SecretKeyError(
            "secret key error: the secret key does not match the data (the database was made "
            "with another key)"
        )


async def establish_secret(
    data_dir: Path, given: str | None, sessions: async_sessionmaker[AsyncSession]
) -> bytes:
    """The secret to use: VRAAGBAAK_SECRET_KEY, else DATA_DIR/secret.key, else a new one (written only
    once the database is known to hold nothing made with another)."""
    make_private(data_dir)
    if given:
        secret = given.encode()
        await _check(sessions, secret, generated=False)
        return secret
    existing = read_secret(data_dir)
    if existing is not None:
        await _check(sessions, existing, generated=False)
        return existing
    fresh = new_secret()
    try:
        await _check(sessions, fresh, generated=True)
    except SecretKeyError:
        # Two instances sharing DATA_DIR on their first start: the other one recorded its key a moment
        # ago and is writing it. Use theirs once it is there; a lost file stays refused.
        for _ in range(RACE_READS):
            await asyncio.sleep(RACE_WAIT_SECONDS)
            if (theirs := read_secret(data_dir)) is not None:
                await _check(sessions, theirs, generated=False)
                return theirs
        raise
    written = write_secret(data_dir, fresh)
    if written != fresh:  # another process wrote its own first: theirs is the one recorded, or not
        await _check_again(sessions, key_check_value(written))
    return written
