"""Repositories against a real SQLite file and a real PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import conversations, people, stats
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
        await stats.flush(session)
        await session.commit()
        await stats.count(session, "answered", language="nl", topic="health.pep", day=day, amount=2)
        await stats.flush(session)  # adds to the row already there
        await session.commit()
        rows = (await session.execute(select(DailyCount.language, DailyCount.count).order_by(DailyCount.language))).all()
    assert [tuple(r) for r in rows] == [("fr", 1), ("nl", 5)]


async def test_instances_starting_together_migrate_one_after_the_other(db_engine: AsyncEngine) -> None:
    import asyncio

    from storage.database import create_engine
    from storage.migrate import upgrade

    if db_engine.dialect.name != "postgresql":
        pytest.skip("several instances share PostgreSQL; SQLite serves one instance")
    url = db_engine.url.render_as_string(hide_password=False)
    async with db_engine.begin() as conn:
        from sqlalchemy import text

        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    engines = [create_engine(url) for _ in range(3)]
    try:
        await asyncio.gather(*(upgrade(engine) for engine in engines))
    finally:
        for engine in engines:
            await engine.dispose()


async def test_forget_in_the_update_that_first_noted_the_person_leaves_no_row(db_engine: AsyncEngine) -> None:
    from storage.models import Person

    now = dt.datetime.now(dt.UTC)
    sessions = session_factory(db_engine)
    async with sessions() as session:  # a returning person's first message is /forget
        await people.note_message(session, "p-new", 10, now)
        await people.forget(session, "p-new")
        await session.commit()
    async with sessions() as session:  # a known person whose window moves in the same update
        session.add(Person(pseudonym="p-old", last_seen_on=(now - dt.timedelta(days=3)).date(),
                           wipe_from_message_id=1, last_written_at=now - dt.timedelta(days=3)))
        await session.commit()
    async with sessions() as session:
        await people.note_message(session, "p-old", 50, now)
        await people.forget(session, "p-old")
        await session.commit()
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Person)) == 0


async def test_wipe_starts_at_the_window_this_update_moved(db_engine: AsyncEngine) -> None:
    from storage.models import Person

    now = dt.datetime.now(dt.UTC)
    sessions = session_factory(db_engine)
    async with sessions() as session:
        session.add(Person(pseudonym="p", last_seen_on=(now - dt.timedelta(days=3)).date(),
                           wipe_from_message_id=100, last_written_at=now - dt.timedelta(days=3)))
        await session.commit()
    async with sessions() as session:  # /wipe three days later: older messages cannot be deleted anyway
        await people.note_message(session, "p", 5000, now)
        assert await people.wipe_range_start(session, "p") == 5000


async def test_the_wipe_window_keeps_every_message_younger_than_48_hours(db_engine: AsyncEngine) -> None:
    """Messages at 0 h, 30 h and 47.5 h, then /wipe at 47.6 h: the 30-hour-old ones are still
    deletable, so the window must still start at the first. It starts again only after a silence
    longer than Telegram's window."""
    t0 = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)
    sessions = session_factory(db_engine)
    for message_id, hours in ((1, 0.0), (10, 30.0), (20, 47.5), (30, 47.6)):
        async with sessions() as session:
            await people.note_message(session, "p", message_id, t0 + dt.timedelta(hours=hours))
            await session.commit()
    async with sessions() as session:
        assert await people.wipe_range_start(session, "p") == 1
    async with sessions() as session:  # silent from 47.6 h to 100 h: nothing older can be deleted
        await people.note_message(session, "p", 40, t0 + dt.timedelta(hours=100))
        assert await people.wipe_range_start(session, "p") == 40
    assert people.wipe_ids(1, 5) == [1, 2, 3, 4, 5]
    assert people.wipe_ids(None, 5) == [1, 2, 3, 4, 5], "not known where it starts: as far back as allowed"
    assert len(people.wipe_ids(1, 100_000)) == people.MAX_WIPE_IDS


async def test_reading_the_person_tells_whether_they_have_an_open_conversation(db_engine: AsyncEngine) -> None:
    from storage.models import Person

    now = dt.datetime.now(dt.UTC)
    sessions = session_factory(db_engine)
    async with sessions() as session:
        assert await people.note_message(session, "p-unknown", 1, now) == people.Noted(None, None)
        session.add(Person(pseudonym="p", language="nl", last_seen_on=now.date()))
        await session.commit()
    async with sessions() as session:
        assert await people.note_message(session, "p", None, now) == people.Noted("nl", False)
        talk = await conversations.create(session, alias="A-1", person="p", chat_cipher=b"x", language="nl",
                                          topic="health", crisis=False, now=now)
        await session.commit()
    async with sessions() as session:
        assert await people.note_message(session, "p", 2, now) == people.Noted("nl", True)
        await conversations.claim(session, talk.id, "c", b"Sara", now)
        await session.commit()
    async with sessions() as session:
        assert (await people.note_message(session, "p", 3, now)).in_conversation is True
        await conversations.close(session, talk.id, now, dt.timedelta(hours=1))
        await session.commit()
    async with sessions() as session:
        assert (await people.note_message(session, "p", 4, now)).in_conversation is False
