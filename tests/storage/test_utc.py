"""Times go into the database as UTC and come back aware, from SQLite as from PostgreSQL: callers
compare them with `now` without knowing which engine runs."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import conversations
from storage.database import session_factory
from storage.models import Conversation

BRUSSELS_EVENING = dt.datetime(2026, 11, 20, 21, 30, tzinfo=ZoneInfo("Europe/Brussels"))  # 20:30 UTC


async def test_a_local_time_is_kept_as_the_same_instant_and_read_back_in_utc(db_engine: AsyncEngine) -> None:
    async with session_factory(db_engine)() as session:
        made = await conversations.create(session, alias="Guest UTC", person="z" * 64, chat_cipher=b"x",
                                          language="en", topic="", crisis=False, now=BRUSSELS_EVENING)
        await session.commit()
        conversation_id = made.id
    async with session_factory(db_engine)() as session:
        stored = await session.get(Conversation, conversation_id)
        assert stored is not None
        assert stored.queued_at.utcoffset() == dt.timedelta(0)
        assert stored.queued_at == BRUSSELS_EVENING
        assert stored.queued_at.hour == 20
        # A Core select reads with the same types.
        row = (await session.execute(select(Conversation.queued_at).where(Conversation.id == conversation_id))).first()
        assert row is not None and row[0] == BRUSSELS_EVENING and row[0].tzinfo is not None
        # Compared in SQL as the same instant too.
        later = await session.scalar(select(Conversation.id).where(
            Conversation.queued_at < BRUSSELS_EVENING + dt.timedelta(minutes=1),
            Conversation.queued_at > BRUSSELS_EVENING - dt.timedelta(minutes=1)))
        assert later == conversation_id
