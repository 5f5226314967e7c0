"""The engine opens the SQLite file the URL names, set up for one writer at a time and no leftovers."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import text

from storage.database import BUSY_TIMEOUT, checkpoint_truncate, create_engine


@pytest.mark.parametrize("url", ["sqlite+aiosqlite://", "sqlite+aiosqlite:///:memory:"])
def test_sqlite_without_a_file_is_refused_with_the_form_to_use(url: str) -> None:
    with pytest.raises(ValueError, match=r"sqlite\+aiosqlite:///path/to/file.db"):
        create_engine(url)


async def test_the_file_opened_is_the_one_the_url_names_even_with_options(tmp_path: Path) -> None:
    named = tmp_path / "sub" / "bot.db"
    engine = create_engine(f"sqlite+aiosqlite:///{named}?timeout=10")
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY)"))
        assert engine.url.database == str(named)
    finally:
        await engine.dispose()
    assert sorted(p.name for p in named.parent.iterdir() if not p.name.endswith(("-wal", "-shm"))) == ["bot.db"]


async def test_sqlite_connections_overwrite_deleted_rows_wait_for_writers_and_use_wal(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    try:
        async with engine.connect() as conn:
            assert (await conn.execute(text("PRAGMA secure_delete"))).scalar() == 1
            assert (await conn.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
            assert (await conn.execute(text("PRAGMA busy_timeout"))).scalar() == BUSY_TIMEOUT * 1000
    finally:
        await engine.dispose()


async def test_a_writer_waiting_for_another_leaves_the_event_loop_free(tmp_path: Path) -> None:
    """While one transaction holds SQLite's write lock, a second writer waits in its connection's
    thread: the loop goes on (other updates are handled), and the second write goes through once the
    first commits. Any statement counts as a write, `WITH ... INSERT` too."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY)"))
        first = await engine.connect()
        await first.begin()
        await first.execute(text("INSERT INTO t (id) VALUES (1)"))

        async def second_write() -> None:
            async with engine.begin() as conn:
                await conn.execute(text("WITH n(v) AS (SELECT 2) INSERT INTO t (id) SELECT v FROM n"))

        waiting = asyncio.create_task(second_write())
        ticks = 0
        for _ in range(20):  # the loop keeps turning while the second writer waits
            await asyncio.sleep(0.01)
            ticks += 1
        assert ticks == 20 and not waiting.done()
        await first.commit()
        await first.close()
        await asyncio.wait_for(waiting, 5)
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT count(*) FROM t"))).scalar() == 2
        async with engine.connect() as conn:
            autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")
            assert (await autocommit.execute(text("SELECT 1"))).scalar() == 1
    finally:
        await engine.dispose()


async def test_checkpoint_truncate_empties_the_write_ahead_log(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE t (secret TEXT)"))
            await conn.execute(text("INSERT INTO t VALUES ('canary-words')"))
        async with engine.begin() as conn:
            await conn.execute(text("DELETE FROM t"))
        wal = tmp_path / "bot.db-wal"
        assert wal.stat().st_size > 0
        assert await checkpoint_truncate(engine)
        assert wal.stat().st_size == 0
        assert b"canary-words" not in path.read_bytes()
    finally:
        await engine.dispose()
