"""Making deleted rows gone from the disk, not only from the tables.

SQLite: every connection runs with `secure_delete` (storage/database.py), so a deleted row's bytes
are overwritten in the database file. The write-ahead log (`-wal`) still holds the pages as they were
before, until it starts over; the regular checkpoint is passive and rarely gets there. After /forget
and after a purge, a truncating checkpoint copies the log back and cuts it to zero bytes.

PostgreSQL keeps dead row versions until VACUUM reuses their space, and its own write-ahead log for
a while; what a copy of its disk may hold is said in the README.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 3000  # a reader of an older snapshot finishes well within this
TURN_WAIT_SECONDS = 5.0


def truncate_log(path: str) -> bool:
    """A truncating checkpoint of the SQLite file at `path`; True if the log is now empty."""
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as connection:
        connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA secure_delete=ON")
        busy, _log_pages, _copied = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return not busy


async def erase_deleted(bind: AsyncEngine | AsyncConnection | None) -> None:
    """Call after deleting someone's rows (committed). SQLite: the log emptied while no writer of this
    process writes; PostgreSQL: nothing to do here."""
    if bind is None or bind.dialect.name != "sqlite":
        return
    engine = bind.engine if isinstance(bind, AsyncConnection) else bind
    path = engine.url.database
    assert path, "a SQLite engine has a file"
    from storage.sqlite_inline import write_turns_of

    lock = write_turns_of(engine).lock
    try:  # bounded: should the caller still hold a write turn, this gives up instead of waiting for itself
        await asyncio.wait_for(lock.acquire(), TURN_WAIT_SECONDS)
    except TimeoutError:
        log.warning("the SQLite log could not be emptied now (no write turn); the next purge tries again")
        return
    try:
        if not await asyncio.to_thread(truncate_log, path):
            log.warning("the SQLite log could not be emptied now (busy); the next purge tries again")
    except sqlite3.Error as exc:
        log.warning("the SQLite log could not be emptied: %s", type(exc).__name__)
    finally:
        lock.release()
