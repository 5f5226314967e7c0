"""One-time sign-in tokens and browser sessions for editors. Only hashes of the secrets are stored,
so a copy of the database does not let anyone sign in."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AdminSession, LoginToken

LOGIN_TOKEN_LIFETIME = dt.timedelta(minutes=10)
SESSION_IDLE_TIMEOUT = dt.timedelta(minutes=30)
SESSION_MAX_AGE = dt.timedelta(hours=12)  # then a new link from /edit, which checks the person is still an editor


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class EditorSession:
    editor: str
    alias: str
    csrf: str


async def create_login_token(session: AsyncSession, editor: str, alias: str, now: dt.datetime) -> str:
    token = secrets.token_urlsafe(32)
    session.add(LoginToken(token_hash=_hash(token), editor=editor, alias=alias, expires_at=now + LOGIN_TOKEN_LIFETIME))
    return token


async def use_login_token(session: AsyncSession, token: str, now: dt.datetime,
                          editors: Collection[str]) -> tuple[str, str] | None:
    """(editor, alias) if the token is valid and its editor is still one of `editors` (pseudonyms); it can be
    used once, atomically."""
    result = await session.execute(
        update(LoginToken)
        .where(LoginToken.token_hash == _hash(token), LoginToken.used_at.is_(None), LoginToken.expires_at > now,
               LoginToken.editor.in_(list(editors)))
        .values(used_at=now)
        .returning(LoginToken.editor, LoginToken.alias)
    )
    row = result.first()
    return (row[0], row[1]) if row else None


async def open_session(session: AsyncSession, editor: str, alias: str, now: dt.datetime) -> tuple[str, str]:
    """Returns (cookie value, csrf token)."""
    cookie, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    session.add(AdminSession(session_hash=_hash(cookie), editor=editor, alias=alias, csrf=csrf, created_at=now,
                             last_seen_at=now))
    return cookie, csrf


async def check_session(session: AsyncSession, cookie: str, now: dt.datetime,
                        editors: Collection[str]) -> EditorSession | None:
    """The editor behind a cookie, if the session exists, has been neither idle too long nor open too long,
    and its editor is still one of `editors` (pseudonyms). A session that fails is deleted."""
    row = await session.scalar(select(AdminSession).where(AdminSession.session_hash == _hash(cookie)))
    if row is None:
        return None
    if (now - row.last_seen_at > SESSION_IDLE_TIMEOUT or now - row.created_at > SESSION_MAX_AGE
            or row.editor not in editors):
        await session.delete(row)
        return None
    row.last_seen_at = now
    return EditorSession(row.editor, row.alias, row.csrf)


async def close_session(session: AsyncSession, cookie: str) -> None:
    await session.execute(delete(AdminSession).where(AdminSession.session_hash == _hash(cookie)))


async def purge(session: AsyncSession, now: dt.datetime) -> None:
    await session.execute(delete(LoginToken).where(LoginToken.expires_at < now))
    await session.execute(delete(AdminSession).where(AdminSession.last_seen_at < now - SESSION_IDLE_TIMEOUT))
    await session.execute(delete(AdminSession).where(AdminSession.created_at < now - SESSION_MAX_AGE))
