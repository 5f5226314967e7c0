"""Copying SQLite's write-ahead log back into the database file (a checkpoint), off the event loop.

SQLite checkpoints by itself in the commit that finds the log over 1,000 pages: measured here, one
commit in ~800 then takes 15–20 ms instead of 0.03 ms. The bot's SQLite connections run on the event
loop (storage/sqlite_inline.py), so every update in flight waited for it. Here a thread checkpoints
every second instead (PASSIVE: it never waits for readers or writers, nor they for it), and the
commits' own checkpoint is moved out to 10,000 pages (~40 MB) as a backstop for when this is not
running (tests, the command line).

The log only starts over (and old frames, purged rows among them, get overwritten) when a writer
finds it wholly copied back. Under steady writes a checkpoint never catches up by itself, so once
the log is over RESTART_PAGES the thread copies the last frames while holding the write turn, and
the next writer starts the log over; `journal_size_limit` then trims the file.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3

from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger(__name__)

AUTOCHECKPOINT_PAGES = 10_000
RESTART_PAGES = 2_000  # ~8 MB of log
JOURNAL_SIZE_LIMIT = 8 * 1024 * 1024
INTERVAL_SECONDS = 1.0


def checkpoint(path: str) -> int:
    """Copy back what can be copied now; the log's length in pages."""
    # A connection of its own each time, opened and closed in the worker thread: if the task is
    # cancelled mid-checkpoint, the thread finishes with it and nothing closes it under its feet.
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as connection:
        _busy, log_pages, _copied = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        return int(log_pages)


async def _checkpoint_in_thread(path: str) -> int:
    """`checkpoint` in a worker thread; a cancelled caller still waits for the thread to finish, so
    nothing (a closing engine, the next checkpoint) finds the database busy with an orphan pass."""
    job = asyncio.ensure_future(asyncio.to_thread(checkpoint, path))
    try:
        return await asyncio.shield(job)
    except asyncio.CancelledError:
        with contextlib.suppress(Exception):
            await job
        raise


async def checkpoint_forever(engine: AsyncEngine, interval: float = INTERVAL_SECONDS) -> None:
    from storage.sqlite_inline import write_turns_of

    path = engine.url.database
    assert path, "a SQLite engine has a file"
    turns = write_turns_of(engine)
    while True:
        await asyncio.sleep(interval)
        try:
            if await _checkpoint_in_thread(path) > RESTART_PAGES:
                async with turns.lock:  # no writer now: this pass copies the rest (a few pages)
                    await _checkpoint_in_thread(path)
        except sqlite3.Error as exc:  # e.g. the disk is full: the commits' backstop still applies
            log.warning("WAL checkpoint failed: %s", type(exc).__name__)
