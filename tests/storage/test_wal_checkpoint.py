"""SQLite's log is checkpointed by a thread, not by a commit on the event loop."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from storage import wal_checkpoint
from storage.database import create_engine
from storage.wal_checkpoint import AUTOCHECKPOINT_PAGES, checkpoint_forever


def _log_bytes(path: Path) -> int:
    return Path(f"{path}-wal").stat().st_size


async def test_commits_leave_checkpoints_to_the_thread(tmp_path: Path) -> None:
    path = tmp_path / "wal.db"
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    async with engine.begin() as conn:
        assert (await conn.execute(text("PRAGMA wal_autocheckpoint"))).scalar_one() == AUTOCHECKPOINT_PAGES
        await conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"))
    for _ in range(1_500):  # well over SQLite's own 1,000-page threshold, each in its own commit
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO t (v) VALUES (:v)"), {"v": "x" * 3000})
    assert _log_bytes(path) > 1_000 * 4096, "a commit checkpointed: the log did not keep growing"

    task = asyncio.create_task(checkpoint_forever(engine, interval=0.01))
    await asyncio.sleep(0.5)
    async with engine.begin() as conn:  # after a complete checkpoint the next writer starts the log over
        await conn.execute(text("INSERT INTO t (v) VALUES ('after')"))
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    with sqlite3.connect(path) as probe:
        busy, frames, _copied = probe.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    assert busy == 0 and frames < 100, f"the log was not copied back and restarted ({frames} frames)"
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM t"))).scalar_one() == 1_501
    await engine.dispose()


async def test_under_steady_writes_the_log_still_starts_over(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wal_checkpoint, "RESTART_PAGES", 200)
    path = tmp_path / "steady.db"
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"))
    task = asyncio.create_task(checkpoint_forever(engine, interval=0.01))
    try:
        for _ in range(3_000):  # never a pause long enough for a checkpoint to catch up by itself
            async with engine.begin() as conn:
                await conn.execute(text("INSERT INTO t (v) VALUES (:v)"), {"v": "x" * 3000})
            await asyncio.sleep(0)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    with sqlite3.connect(path) as probe:
        _busy, frames, _copied = probe.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    assert frames < 1_500, f"the log never started over ({frames} frames for 3,000 commits)"
    await engine.dispose()
