"""Uploads waiting for their editor's confirmation, for PENDING_LIFETIME, in the database so that any
instance can take the confirming request. Repositories never commit: the caller owns the unit of work."""

from __future__ import annotations

import datetime as dt
import json
import secrets

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import PendingImport

PENDING_LIFETIME = dt.timedelta(minutes=15)
PENDING_LIMIT = 50  # uploads waiting at once; the oldest goes first


async def put(session: AsyncSession, editor: str, files: dict[str, str], now: dt.datetime) -> str:
    now = now.astimezone(dt.UTC)  # SQLite keeps the time as text without its zone: always UTC here
    await purge(session, now)
    kept = select(PendingImport.key).order_by(PendingImport.created_at.desc()).limit(PENDING_LIMIT - 1)
    await session.execute(delete(PendingImport).where(PendingImport.key.not_in(kept.scalar_subquery())))
    key = secrets.token_urlsafe(16)
    session.add(PendingImport(key=key, editor=editor, files=json.dumps(files, ensure_ascii=False), created_at=now))
    await session.flush()
    return key


async def take(session: AsyncSession, key: str, editor: str, now: dt.datetime) -> dict[str, str] | None:
    """The upload under `key`, if it is this editor's and still waiting; it then waits no more. One
    DELETE ... RETURNING: of two confirmations at once (a double click, two instances) one gets it."""
    now = now.astimezone(dt.UTC)
    taken = (await session.execute(
        delete(PendingImport).where(PendingImport.key == key, PendingImport.editor == editor,
                                    PendingImport.created_at >= now - PENDING_LIFETIME)
        .returning(PendingImport.files))).scalar_one_or_none()
    return json.loads(taken) if taken is not None else None


async def purge(session: AsyncSession, now: dt.datetime) -> None:
    now = now.astimezone(dt.UTC)
    await session.execute(delete(PendingImport).where(PendingImport.created_at < now - PENDING_LIFETIME))
