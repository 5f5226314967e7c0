"""Updates' sessions on SQLite run on connections kept between updates (storage/update_sessions.py):
each session still begins and ends its own transaction, gives back the write turn, and a connection
in doubt is closed, not used again."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import direct
from storage.database import create_engine, give_back_write_turn, session_factory
from storage.migrate import upgrade
from storage.models import ProcessedUpdate
from storage.sqlite_inline import write_turns_of
from storage.update_sessions import KeptConnectionSessions
from storage.updates import claim_update, handled_already


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'kept.db'}")
    await upgrade(engine)
    yield engine
    await engine.dispose()


def _driver(session: object) -> object:
    return session.sync_session.get_bind().connection.driver_connection  # type: ignore[attr-defined]


async def _count(engine: AsyncEngine) -> int:
    async with session_factory(engine)() as session:
        return int((await session.execute(select(func.count()).select_from(ProcessedUpdate))).scalar_one())


async def test_one_update_after_another_uses_the_same_connection_and_commits_its_writes(engine: AsyncEngine) -> None:
    sessions = KeptConnectionSessions(engine, session_factory(engine), keep=4)
    drivers = []
    for update_id in (1, 2, 3):
        async with sessions() as session:
            assert not await handled_already(session, update_id)
            assert await claim_update(session, update_id)
            drivers.append(_driver(session))
            await direct.commit(session)
        assert sessions.kept == 1
    assert drivers[0] is drivers[1] is drivers[2]
    assert await _count(engine) == 3
    assert not write_turns_of(engine).lock.locked()
    await sessions.close()


async def test_a_failed_update_leaves_nothing_behind_for_the_next(engine: AsyncEngine) -> None:
    sessions = KeptConnectionSessions(engine, session_factory(engine), keep=4)
    with pytest.raises(RuntimeError):
        async with sessions() as session:
            assert await claim_update(session, 7)  # takes the write turn
            raise RuntimeError("the handler failed")
    assert not write_turns_of(engine).lock.locked()  # given back by the session's rollback
    assert sessions.kept == 1
    async with sessions() as session:
        assert not await handled_already(session, 7)  # the failed update's mark was rolled back
        assert await claim_update(session, 7)
        await session.commit()  # the ORM's own commit works on a kept connection too
    assert await _count(engine) == 1
    await sessions.close()


async def test_a_handoff_step_gives_back_the_write_turn_mid_update(engine: AsyncEngine) -> None:
    # As before talking to Telegram, which may sleep out a 429 (tests/production/test_write_turn.py).
    sessions = KeptConnectionSessions(engine, session_factory(engine), keep=4)
    async with sessions() as session:
        assert await claim_update(session, 5)
        assert write_turns_of(engine).lock.locked()
        await give_back_write_turn(session)
        assert not write_turns_of(engine).lock.locked()
        assert await _count(engine) == 1  # committed: another connection sees it
    await sessions.close()


async def test_an_update_cancelled_mid_way_gives_back_its_turn_and_a_clean_connection(engine: AsyncEngine) -> None:
    sessions = KeptConnectionSessions(engine, session_factory(engine), keep=4)
    holding = asyncio.Event()

    async def update() -> None:
        async with sessions() as session:
            await claim_update(session, 9)
            holding.set()
            await asyncio.sleep(3600)  # e.g. sleeping out Telegram's retry_after when the bot stops

    task = asyncio.create_task(update())
    await holding.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert not write_turns_of(engine).lock.locked()
    async with sessions() as session:
        assert not await handled_already(session, 9)
    await sessions.close()


async def test_no_more_than_keep_connections_are_kept_and_close_gives_them_back(engine: AsyncEngine) -> None:
    sessions = KeptConnectionSessions(engine, session_factory(engine), keep=2)
    drivers = []
    all_three = asyncio.Barrier(3)

    async def update(update_id: int) -> None:
        async with sessions() as session:
            await handled_already(session, update_id)
            drivers.append(_driver(session))
            await all_three.wait()  # each holds its connection until all three have one

    await asyncio.gather(*(update(i) for i in range(3)))
    assert len({id(d) for d in drivers}) == 3 and sessions.kept == 2
    pool = engine.sync_engine.pool
    assert pool.checkedout() == 2  # type: ignore[attr-defined]  # the third went back to the pool
    await sessions.close()
    assert sessions.kept == 0 and pool.checkedout() == 0  # type: ignore[attr-defined]  # so disposing closes all


async def test_an_invalidated_connection_is_not_used_again(engine: AsyncEngine) -> None:
    sessions = KeptConnectionSessions(engine, session_factory(engine), keep=4)
    async with sessions() as session:
        await handled_already(session, 1)
        first = _driver(session)
        connection = await session.connection()
        await connection.invalidate()  # as SQLAlchemy does after an error that broke the connection
    assert sessions.kept == 0
    async with sessions() as session:
        assert await claim_update(session, 1)
        assert _driver(session) is not first
        await direct.commit(session)
    assert await _count(engine) == 1
    await sessions.close()


async def test_the_bot_on_sqlite_uses_kept_connections_and_gives_them_back_on_closing(settings) -> None:  # type: ignore[no-untyped-def]
    from bot.app import build_parts

    parts = await build_parts(settings)
    try:
        assert isinstance(parts.update_sessions, KeptConnectionSessions)
        async with parts.update_sessions() as session:
            await handled_already(session, 1)
        assert parts.kept_connections is not None and parts.kept_connections.kept == 1
    finally:
        await parts.close()
    assert parts.kept_connections.kept == 0 and parts.engine.sync_engine.pool.checkedout() == 0  # type: ignore[attr-defined]
