"""Statements run directly on the session's sqlite3 connection (storage/direct.py) read and write
exactly what the ORM does, inside the session's transaction; on PostgreSQL they run as Core."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import bindparam, select, text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.webhook import is_infrastructure_error
from storage import direct, stats
from storage.database import create_engine, session_factory
from storage.direct import Direct
from storage.migrate import upgrade
from storage.models import DailyCount, Person
from storage.updates import claim_update, handled_already

_PERSON = Direct(select(Person.language, Person.last_seen_on, Person.last_written_at)
                 .where(Person.pseudonym == bindparam("pseudonym")))


async def test_values_written_by_the_orm_read_back_with_their_types(db_engine: AsyncEngine) -> None:
    sessions = session_factory(db_engine)
    at = dt.datetime(2026, 3, 1, 22, 30, 15, 123456, tzinfo=dt.UTC)
    async with sessions() as session:
        session.add(Person(pseudonym="p", language="ro", last_seen_on=dt.date(2026, 3, 1), last_written_at=at))
        await session.commit()
    async with sessions() as session:
        language, seen, wipe_from = await _PERSON.first(session, {"pseudonym": "p"}) or ()
        assert await _PERSON.first(session, {"pseudonym": "nobody"}) is None
    assert (language, seen) == ("ro", dt.date(2026, 3, 1))
    assert wipe_from.replace(tzinfo=dt.UTC) == at  # SQLite keeps no zone; the code reads it as UTC


async def test_values_written_directly_read_back_through_the_orm(db_engine: AsyncEngine) -> None:
    sessions = session_factory(db_engine)
    day = dt.date(2026, 3, 2)
    async with sessions() as session:
        await stats.count(session, "question", language="pt", topic="health.prep", day=day)
        await stats.count(session, "question", language="pt", topic="health.prep", day=day)
        await stats.count(session, "no_answer", language="ar", day=day)
        await stats.flush(session)  # one statement, two rows
        await session.commit()
    async with sessions() as session:
        rows = {(r.day, r.metric, r.language, r.topic): r.count for r in await stats.rows_between(session, day, day)}
        assert await session.scalar(select(DailyCount.day).limit(1)) == day
    assert rows == {(day, "question", "pt", "health.prep"): 2, (day, "no_answer", "ar", ""): 1}


async def test_direct_writes_belong_to_the_sessions_transaction(db_engine: AsyncEngine) -> None:
    sessions = session_factory(db_engine)
    async with sessions() as session:
        assert await claim_update(session, 41)
        assert await handled_already(session, 41), "the transaction sees its own write"
        await session.rollback()
    async with sessions() as session:
        assert not await handled_already(session, 41), "a rollback undid the direct write"
        assert await claim_update(session, 41)
        await session.commit()
    async with sessions() as session:
        assert await handled_already(session, 41)
        assert not await claim_update(session, 41), "a second claim changes nothing"



async def test_a_session_keeps_working_across_its_transactions(db_engine: AsyncEngine) -> None:
    """The connection kept for a transaction is not used once it ended (storage.direct keeps it)."""
    sessions = session_factory(db_engine)
    async with sessions() as session:
        assert await claim_update(session, 51)
        await session.commit()
        assert await claim_update(session, 52)
        await session.rollback()
        assert not await handled_already(session, 52)
        assert await claim_update(session, 53)
        await session.commit()
    async with sessions() as session:
        assert [await handled_already(session, n) for n in (51, 52, 53)] == [True, False, True]


async def test_a_failing_direct_statement_raises_sqlalchemys_error(tmp_path: Path) -> None:
    """The webhook answers 503 (Telegram redelivers) only to the database's errors as SQLAlchemy raises them."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'failing.db'}")
    await upgrade(engine)
    async with session_factory(engine)() as session:
        await session.execute(text("PRAGMA query_only=ON"))  # every write now fails, as on a full disk
        with pytest.raises(OperationalError) as failure:
            await claim_update(session, 61)
        assert is_infrastructure_error(failure.value)
        await session.rollback()
        assert not await handled_already(session, 61)
    await engine.dispose()


async def test_committing_the_unit_of_work_keeps_direct_and_orm_writes(db_engine: AsyncEngine) -> None:
    """direct.commit commits SQLite's connection itself when the ORM has nothing left to write, and
    lets the session commit otherwise; either way everything is kept and the next writer can write."""
    sessions = session_factory(db_engine)
    async with sessions() as session:
        await claim_update(session, 71)
        await direct.commit(session)  # only direct writes
    async with sessions() as session:
        await claim_update(session, 72)
        session.add(Person(pseudonym="r", language="bg"))  # and an ORM write
        await direct.commit(session)
    async with sessions() as session:
        await claim_update(session, 73)
        await session.flush()
        session.add(Person(pseudonym="s", language="th"))
        await session.flush()  # flushed ORM writes ride in the same transaction
        await direct.commit(session)
    async with asyncio.timeout(5), sessions() as session:  # the write turn was given back each time
        assert [await handled_already(session, n) for n in (71, 72, 73)] == [True, True, True]
        assert await session.get(Person, "r") is not None and await session.get(Person, "s") is not None
        await claim_update(session, 74)
        await session.commit()


async def test_a_failing_commit_raises_sqlalchemys_error_and_gives_the_turn_back(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'commit.db'}")
    await upgrade(engine)
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE parent (id INTEGER PRIMARY KEY)"))
        await conn.execute(text("CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER "
                                "REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)"))
    sessions = session_factory(engine)
    async with sessions() as session:
        await claim_update(session, 81)
        await session.execute(text("INSERT INTO child (parent_id) VALUES (99)"))  # fails only at COMMIT
        with pytest.raises(IntegrityError) as failure:
            await direct.commit(session)
        assert is_infrastructure_error(failure.value)
    async with asyncio.timeout(5), sessions() as session:
        assert not await handled_already(session, 81), "nothing of the failed transaction was kept"
        await claim_update(session, 82)
        await session.commit()
    await engine.dispose()


async def test_an_updates_unit_of_work_leaves_nothing_for_the_garbage_collector(tmp_path: Path) -> None:
    """Every update's session, connection and transaction go when the update ends, freed by their
    reference counts: a cycle through them (as the session's info once held its transaction) made
    ~40 objects per update wait for the collector, which then ran more often, on the event loop."""
    import gc

    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'cycles.db'}")
    await upgrade(engine)
    sessions = session_factory(engine)

    async def unit_of_work(update_id: int) -> None:  # as bot.middlewares.DatabaseSessionMiddleware does
        async with sessions() as session:
            assert not await handled_already(session, update_id)
            assert await claim_update(session, update_id)
            await stats.count(session, "question", language="nl", topic="health.prep")
            await stats.flush(session)
            await direct.commit(session)

    try:
        await unit_of_work(1)  # first use builds caches that live on
        gc.collect()
        gc.set_debug(gc.DEBUG_SAVEALL)
        try:
            for update_id in range(2, 22):
                await unit_of_work(update_id)
            gc.collect()
            left = [type(o).__qualname__ for o in gc.garbage]
        finally:
            gc.set_debug(0)
            gc.garbage.clear()
        assert left == []
    finally:
        await engine.dispose()
