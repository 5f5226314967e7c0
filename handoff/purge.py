"""The scheduled purge: ended conversations after the grace period (their topics in the counsellors'
group with them), the encrypted chat id of an ended conversation at once, people silent for the
retention period, unanswered questions after theirs, expired sign-in tokens and sessions, uploads
left unconfirmed, and the record of handled update ids after a week. Then, on SQLite, the write-ahead
log is emptied so the deleted rows are gone from the disk too (storage/erasure.py)."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import Settings
from storage import admin_auth, conversations, pending_imports, people, unanswered
from storage.erasure import erase_deleted
from storage.leases import try_acquire
from storage.outages import is_infrastructure_error
from storage.updates import purge_processed

log = logging.getLogger(__name__)

# Deletes a conversation's forum topic; True once it is gone (handoff/desk.py Desk.delete_topic).
TopicDeleter = Callable[[int | None], Awaitable[bool]]

UPDATE_IDS_KEPT = dt.timedelta(days=7)
PURGE_CHUNK = 2000
# A topic Telegram will not delete (the bot lost its rights) does not keep its conversation's row forever.
TOPIC_TRIES_FOR = dt.timedelta(days=7)


@dataclass(frozen=True)
class Retention:
    """How long each kind of thing is kept (bot/config.py; /privacy says the same)."""

    unanswered: dt.timedelta = dt.timedelta(days=30)
    people: dt.timedelta = dt.timedelta(days=90)

    @classmethod
    def from_settings(cls, settings: Settings) -> Retention:
        return cls(
            unanswered=dt.timedelta(days=settings.unanswered_retention_days),
            people=dt.timedelta(days=settings.inactive_people_days),
        )


async def _take_turn(sessions: async_sessionmaker[AsyncSession], holder: str, interval: float) -> bool:
    now = dt.datetime.now(dt.UTC)
    async with sessions() as session:
        # Slightly shorter than the interval, so the holder can renew on its next round.
        won = await try_acquire(session, "purge", holder, now, dt.timedelta(seconds=interval * 0.9))
        await session.commit()
    return won


async def _purge_conversations(
    sessions: async_sessionmaker[AsyncSession], now: dt.datetime, delete_topic: TopicDeleter | None
) -> int:
    """Ended conversations past their grace period, each after its topic is deleted (Telegram is not
    called while a database connection is held)."""
    async with sessions() as session:
        await conversations.drop_chat_ids(session, now - conversations.CHAT_ID_AFTER_CLOSE)
        due = await conversations.expired(session, now)
        await session.commit()
    if not due:
        return 0
    gone: list[int] = []
    for conversation_id, thread_id in due:
        if delete_topic is None or await delete_topic(thread_id):
            gone.append(conversation_id)
    async with sessions() as session:
        removed = await conversations.delete_ids(session, gone)
        # Telegram kept refusing for a week: the row goes without its topic.
        removed += await conversations.purge_expired(session, now - TOPIC_TRIES_FOR)
        await session.commit()
    return removed


async def purge_once(
    sessions: async_sessionmaker[AsyncSession],
    now: dt.datetime | None = None,
    retention: Retention = Retention(),
    *,
    delete_topic: TopicDeleter | None = None,
    engine: AsyncEngine | None = None,
) -> int:
    """One round; the number of conversations deleted. `engine`: to empty SQLite's log after."""
    now = now or dt.datetime.now(dt.UTC)
    removed = await _purge_conversations(sessions, now, delete_topic)
    async with sessions() as session:
        people_gone = await people.purge_inactive(session, (now - retention.people).date())
        questions_gone = await unanswered.purge(session, now - retention.unanswered)
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
    if people_gone:
        log.info("purge: %d people silent for %d days forgotten", people_gone, retention.people.days)
    if engine is not None and (removed or people_gone or questions_gone):
        await erase_deleted(engine)
    return removed


async def purge_forever(
    sessions: async_sessionmaker[AsyncSession],
    interval: float,
    retention: Retention = Retention(),
    *,
    delete_topic: TopicDeleter | None = None,
    engine: AsyncEngine | None = None,
) -> None:
    """Every `interval` seconds, the purge runs once — in whichever instance holds the lease."""
    holder = uuid.uuid4().hex
    while True:
        try:
            if await _take_turn(sessions, holder, interval):
                await purge_once(sessions, retention=retention, delete_topic=delete_topic, engine=engine)
        except Exception as exc:  # the database down (SQLAlchemy's error, or a refused
            # connection's OSError): the loop must outlive it and try again next round
            log.warning(
                "purge failed: %s", type(exc).__name__, exc_info=not is_infrastructure_error(exc)
            )  # a bug: show where
        await asyncio.sleep(interval)
