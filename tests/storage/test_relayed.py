"""Which copy belongs to which relayed message: found again for an edit, gone with the conversation
(forgotten or purged), on a real SQLite file and a real PostgreSQL."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import conversations, relayed
from storage.database import session_factory
from storage.models import RelayedMessage

T0 = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


async def _conversation_with_copies(engine: AsyncEngine, person: str) -> int:
    async with session_factory(engine)() as session:
        conv = await conversations.create(session, alias="Guest TEST", person=person * 64, chat_cipher=b"x",
                                          language="en", topic="", crisis=False, now=T0)
        await session.flush()
        await relayed.remember(session, conv.id, to_person=True, source=10, copy=501)
        await relayed.remember(session, conv.id, to_person=False, source=10, copy=77)
        await session.commit()
        return conv.id


async def _rows(engine: AsyncEngine) -> int:
    async with session_factory(engine)() as session:
        return int(await session.scalar(select(func.count()).select_from(RelayedMessage)) or 0)


async def test_each_sides_copy_is_found_again_and_a_redelivery_keeps_one_row(db_engine: AsyncEngine) -> None:
    conv_id = await _conversation_with_copies(db_engine, "a")
    async with session_factory(db_engine)() as session:
        assert await relayed.copy_of(session, conv_id, to_person=True, source=10) == 501
        assert await relayed.copy_of(session, conv_id, to_person=False, source=10) == 77
        assert await relayed.copy_of(session, conv_id, to_person=True, source=11) is None
        await relayed.remember(session, conv_id, to_person=True, source=10, copy=502)  # copied again
        await session.commit()
    async with session_factory(db_engine)() as session:
        assert await relayed.copy_of(session, conv_id, to_person=True, source=10) == 502
    assert await _rows(db_engine) == 2


async def test_the_copies_go_with_a_forgotten_or_purged_conversation(db_engine: AsyncEngine) -> None:
    forgotten = await _conversation_with_copies(db_engine, "f")
    purged = await _conversation_with_copies(db_engine, "p")
    kept = await _conversation_with_copies(db_engine, "k")
    async with session_factory(db_engine)() as session:
        await conversations.forget_person(session, "f" * 64)
        assert await conversations.close(session, purged, T0, dt.timedelta(hours=1))
        assert await conversations.purge_expired(session, T0 + dt.timedelta(hours=2)) == 1
        await session.commit()
    assert await _rows(db_engine) == 2
    async with session_factory(db_engine)() as session:
        for gone in (forgotten, purged):
            assert await relayed.copy_of(session, gone, to_person=True, source=10) is None
        assert await relayed.copy_of(session, kept, to_person=True, source=10) == 501
