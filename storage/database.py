"""Engine and sessions for SQLite (aiosqlite) and PostgreSQL (asyncpg), with the same code."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import event, make_url, text
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

POOL_SIZE = 40  # Telegram delivers at most 40 webhook updates at once by default (max_connections)
SQLITE_POOL_KEPT = 12  # connections kept open between bursts: the updates worked on at once (active_updates)
# Seconds a write waits for another transaction's write to commit. SQLite waits in the connection's
# own thread (aiosqlite), so the event loop carries on meanwhile.
BUSY_TIMEOUT = 5.0
JOURNAL_SIZE_LIMIT = 8 * 1024 * 1024  # the write-ahead log is trimmed back to this after a checkpoint


def create_engine(url: str) -> AsyncEngine:
    if url.startswith("sqlite"):
        path = make_url(url).database
        if not path or path == ":memory:":
            raise ValueError("SQLite needs a database file (sqlite+aiosqlite:///path/to/file.db)")
        _private_file(Path(path))
        # An update holds its connection while the bot talks to Telegram, so the pool covers the
        # updates worked on at once plus those sleeping out a Telegram backoff (bot/admission.py).
        engine = create_async_engine(
            url,
            connect_args={"timeout": BUSY_TIMEOUT},
            pool_size=SQLITE_POOL_KEPT,
            max_overflow=POOL_SIZE - SQLITE_POOL_KEPT,
        )

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_conn.cursor()
            # WAL lets readers work while one writer commits.
            cursor.execute("PRAGMA journal_mode=WAL")
            # With WAL, NORMAL loses nothing on a crash of the process (only on power loss).
            cursor.execute("PRAGMA synchronous=NORMAL")
            # Deleted rows are overwritten, so a purged or forgotten row cannot be read back from the
            # file's free pages (the write-ahead log: see `checkpoint_truncate`).
            cursor.execute("PRAGMA secure_delete=ON")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT * 1000)}")
            # A small page cache per connection (128 KiB; SQLite's default is 2 MiB, times 40 connections):
            # the operating system caches the file anyway.
            cursor.execute("PRAGMA cache_size=-128")
            cursor.execute(f"PRAGMA journal_size_limit={JOURNAL_SIZE_LIMIT}")
            cursor.close()

        return engine
    return create_async_engine(url, pool_pre_ping=True, pool_size=POOL_SIZE // 2, max_overflow=POOL_SIZE // 2)


def _private_file(path: Path) -> None:
    """The database and its -wal/-shm (SQLite gives them the database file's mode) for the bot's user
    alone; a directory it makes, too."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if file.exists():
            file.chmod(0o600)


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # No autoflush: changes to loaded rows (a person's last-seen day) are written with the update's
    # other writes at its end, not at the next read: on SQLite a write holds the one write lock
    # until its transaction commits.
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


def is_sqlite(bind: AsyncEngine | AsyncConnection | None) -> bool:
    return bind is not None and bind.dialect.name == "sqlite"


async def checkpoint_truncate(engine: AsyncEngine) -> bool:
    """SQLite: copy the write-ahead log back into the database file and empty it, so rows just
    deleted (a purge, /forget) are gone from the log too; secure_delete has already overwritten them
    in the file. Waits for other writers up to BUSY_TIMEOUT. True if the log is now empty; on
    PostgreSQL there is nothing to do (True)."""
    if not is_sqlite(engine):
        return True
    async with engine.connect() as connection:
        connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
        busy, _log_pages, _copied = (await connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))).one()
    return not busy
