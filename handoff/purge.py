"""The scheduled purge: conversations (with their encrypted chat ids) after the grace period,
unanswered questions after their retention period, expired sign-in tokens and sessions, uploads
left unconfirmed, and the record of handled update ids after a week."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import uuid

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage import admin_auth, pending_imports, unanswered
from storage.conversations import purge_expired
from storage.leases import try_acquire
from storage.outages import is_infrastructure_error
from storage.updates import purge_processed

log = logging.getLogger(__name__)


async def _take_turn(sessions: async_sessionmaker[AsyncSession], holder: str, interval: float) -> bool:
    now = dt.datetime.now(dt.UTC)
    async with sessions() as session:
        # Slightly shorter than the interval, so the holder can renew on its next round.
        won = await try_acquire(session, "purge", holder, now, dt.timedelta(seconds=interval * 0.9))
        await session.commit()
    return won
UPDATE_IDS_KEPT = dt.timedelta(days=7)
PURGE_CHUNK = 2000


async def purge_once(sessions: async_sessionmaker[AsyncSession], now: dt.datetime | None = None,
                     unanswered_kept: dt.timedelta = dt.timedelta(days=30)) -> int:
    now = now or dt.datetime.now(dt.UTC)
    async with sessions() as session:
        removed = await purge_expired(session, now)
        await unanswered.purge(session, now - unanswered_kept)
        await admin_auth.purge(session, now)
        await pending_imports.purge(session, now)
        await session.commit()
    # A busy day leaves many handled update ids: they go in chunks, each its own short transaction,
    # so updates handled meanwhile get their turn to write (and on SQLite the event loop runs).
    while True:
        async with sessions() as session:
            forgotten = await purge_processed(session, now - UPDATE_IDS_KEPT, limit=PURGE_CHUNK)
            await session.commit()
        if forgotten < PURGE_CHUNK:
            break
        await asyncio.sleep(0)
    if removed:
        log.info("purge: %d ended conversations deleted", removed)
    return removed


async def purge_forever(sessions: async_sessionmaker[AsyncSession], interval: float,
                        unanswered_kept: dt.timedelta = dt.timedelta(days=30)) -> None:
    """Every `interval` seconds, the purge runs once — in whichever instance holds the lease."""
    holder = uuid.uuid4().hex
    while True:
        try:
            if await _take_turn(sessions, holder, interval):
                await purge_once(sessions, unanswered_kept=unanswered_kept)
        except Exception as exc:  # the database down (SQLAlchemy's error, or a refused
            # connection's OSError): the loop must outlive it and try again next round
            log.warning("purge failed: %s", type(exc).__name__,
                        exc_info=not is_infrastructure_error(exc))  # a bug: show where
        await asyncio.sleep(interval)
