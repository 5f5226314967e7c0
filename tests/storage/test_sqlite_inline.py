"""SQLite runs in place on the event loop, and writers take turns there (storage/sqlite_inline.py)."""

from __future__ import annotations

import asyncio
import itertools
import threading
import time
from pathlib import Path

from sqlalchemy import func, select

from storage.database import create_engine, session_factory
from storage.migrate import upgrade
from storage.models import ProcessedUpdate
from storage.updates import claim_update


async def test_a_writer_waits_its_turn_without_blocking_the_event_loop(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'turns.db'}")
    await upgrade(engine)
    sessions = session_factory(engine)
    ticks: list[float] = []
    order: list[str] = []

    async def ticker() -> None:
        while True:
            ticks.append(time.monotonic())
            await asyncio.sleep(0.01)

    async def slow_writer() -> None:
        async with sessions() as session:
            await claim_update(session, 1)
            order.append("first wrote")
            await asyncio.sleep(0.5)  # e.g. a Telegram call inside the transaction
            await session.commit()
            order.append("first committed")

    async def second_writer() -> None:
        await asyncio.sleep(0.05)
        async with sessions() as session:
            await claim_update(session, 2)  # SQLite would refuse ("database is locked") or sleep here
            order.append("second wrote")
            await session.commit()

    tick = asyncio.create_task(ticker())
    try:
        await asyncio.gather(slow_writer(), second_writer())
    finally:
        tick.cancel()
    assert order == ["first wrote", "first committed", "second wrote"]
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert max(gaps) < 0.2, "the event loop kept running while the second writer waited"
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(ProcessedUpdate)) == 2
    await engine.dispose()


async def test_readers_do_not_wait_for_a_writer_and_no_thread_per_connection(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'read.db'}")
    await upgrade(engine)
    sessions = session_factory(engine)
    threads_before = threading.active_count()
    async with sessions() as writer:
        await claim_update(writer, 7)  # holds the write turn, uncommitted
        readers = [sessions() for _ in range(10)]
        for reader in readers:
            assert await reader.scalar(select(func.count()).select_from(ProcessedUpdate)) == 0
        assert threading.active_count() == threads_before
        for reader in readers:
            await reader.close()
        await writer.rollback()
    async with sessions() as session:  # the rollback gave the turn back
        await claim_update(session, 8)
        await session.commit()
    await engine.dispose()


async def test_a_failed_write_gives_the_turn_back(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'fail.db'}")
    await upgrade(engine)
    sessions = session_factory(engine)
    try:
        async with sessions() as session:
            await claim_update(session, 1)
            raise RuntimeError("handler failed")
    except RuntimeError:
        pass
    async with sessions() as session:
        await asyncio.wait_for(claim_update(session, 2), timeout=2)
        await session.commit()
    await engine.dispose()


async def test_a_writer_that_never_gets_its_turn_fails_cleanly(tmp_path: Path, monkeypatch) -> None:
    import pytest
    from sqlalchemy.exc import OperationalError

    from storage import sqlite_inline

    monkeypatch.setattr(sqlite_inline, "TURN_TIMEOUT", 0.2)
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'stuck.db'}")
    await upgrade(engine)
    sessions = session_factory(engine)
    async with sessions() as holder:
        await claim_update(holder, 1)  # holds the turn and never commits here
        async with sessions() as waiting:
            with pytest.raises(OperationalError, match="database is locked"):
                await claim_update(waiting, 2)
        await holder.commit()
    await engine.dispose()
