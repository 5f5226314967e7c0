"""Repositories against a real SQLite file and a real PostgreSQL."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import people, stats
from storage.database import session_factory
from storage.models import DailyCount
from storage.updates import claim_update


async def test_a_language_choice_is_kept_and_forgotten(db_engine: AsyncEngine) -> None:
    async with session_factory(db_engine)() as session:
        await people.set_language(session, "p" * 64, "nl")
        await people.set_language(session, "p" * 64, "ar")
        await session.commit()
        assert await people.get_language(session, "p" * 64) == "ar"
        assert await people.forget(session, "p" * 64) == 1
        await session.commit()
        assert await people.get_language(session, "p" * 64) is None


async def test_an_update_is_claimed_once(db_engine: AsyncEngine) -> None:
    async with session_factory(db_engine)() as session:
        assert await claim_update(session, 42) is True
        await session.commit()
        assert await claim_update(session, 42) is False


async def test_counts_add_up_per_day_language_and_topic(db_engine: AsyncEngine) -> None:
    day = dt.date(2026, 11, 1)
    async with session_factory(db_engine)() as session:
        for _ in range(3):
            await stats.count(session, "answered", language="nl", topic="health.pep", day=day)
        await stats.count(session, "answered", language="fr", topic="health.pep", day=day)
        await session.commit()
        rows = (await session.execute(select(DailyCount.language, DailyCount.count).order_by(DailyCount.language))).all()
    assert [tuple(r) for r in rows] == [("fr", 1), ("nl", 3)]
