"""Engine and sessions for SQLite (aiosqlite) and PostgreSQL (asyncpg), with the same code."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import event, make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from storage import stats
from storage.wal_checkpoint import AUTOCHECKPOINT_PAGES, JOURNAL_SIZE_LIMIT

POOL_SIZE = 40  # Telegram delivers at most 40 webhook updates at once by default (max_connections)
# SQLite: connections kept open between bursts. Each costs ~0.2 MB (SQLite's own lookaside and schema
# per connection); the updates worked on at once (12, bot/config.py active_updates) and a few waiting
# for the write turn fit in these, and a burst opens up to POOL_SIZE, closed again as they come back.
# Most are kept for updates' sessions (storage/update_sessions.py), the rest by the pool.
SQLITE_CONNECTIONS_KEPT = 16
SQLITE_POOL_KEPT = 4  # for everything but updates: background loops, the editors' pages
SQLITE_UPDATE_CONNECTIONS_KEPT = SQLITE_CONNECTIONS_KEPT - SQLITE_POOL_KEPT
BUSY_TIMEOUT = 5.0  # seconds; only another process writing to the SQLite file makes anyone wait


def create_engine(url: str) -> AsyncEngine:
    if url.startswith("sqlite"):
        # SQLAlchemy's own reading of the URL, as the checkpoint thread's `engine.url.database`.
        path = make_url(url).database
        if not path or path == ":memory:":
            raise ValueError("SQLite needs a database file (sqlite+aiosqlite:///path/to/file.db)")
        _private_file(Path(path))
        # An update holds its connection while the bot talks to Telegram, so the pool must cover the
        # updates worked on at once plus those sleeping out a Telegram backoff (bot/admission.py).
        # Connections run in place (no thread each): see storage/sqlite_inline.py. Imported here, so an
        # instance on PostgreSQL does not load aiosqlite (~2 MB).
        from storage.sqlite_inline import WriteTurns, inline_creator, install_write_turns

        turns = WriteTurns()
        engine = create_async_engine(url, async_creator=inline_creator(path, BUSY_TIMEOUT, turns),
                                     pool_size=SQLITE_POOL_KEPT, max_overflow=POOL_SIZE - SQLITE_POOL_KEPT)
        install_write_turns(engine, turns)

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_conn.cursor()
            # WAL lets readers work while one writer commits; secure_delete overwrites deleted rows so a
            # purged chat id cannot be recovered from free pages of the file.
            cursor.execute("PRAGMA journal_mode=WAL")
            # With WAL, NORMAL loses nothing on a crash of the process (only on power loss).
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA secure_delete=ON")
            cursor.execute("PRAGMA foreign_keys=ON")
            # A small page cache per connection (128 KiB; SQLite's default is 2 MiB, times 40 connections):
            # the operating system caches the file anyway.
            cursor.execute("PRAGMA cache_size=-128")
            # Checkpoints are made by a thread (storage/wal_checkpoint.py), not in a commit on the loop.
            cursor.execute(f"PRAGMA wal_autocheckpoint={AUTOCHECKPOINT_PAGES}")
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
    # other writes at its end, not at the next read -- on SQLite, writing takes the one write turn.
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


def is_sqlite(bind: AsyncEngine | AsyncConnection | None) -> bool:
    """An engine, or a connection (an update's session is bound to one, storage/update_sessions.py)."""
    return bind is not None and bind.dialect.name == "sqlite"


async def give_back_write_turn(session: AsyncSession) -> None:
    """Call after a write and before talking to Telegram (a claim, a new conversation, a close).

    SQLite: commit now. The process has one write turn (storage/sqlite_inline.py), and a Telegram call
    may sleep out a 429 for a minute; holding the turn meanwhile would hold up every other update's
    final write, and with it their acknowledgements. The update's "handled" mark is still written at
    its end (bot/middlewares.py). What follows the commit may fail (Telegram refusing, a crash): the
    committed state must then stand on its own -- the callers undo it (Desk._abandon) or find it and
    carry on the next time (a conversation without a topic gets one).

    PostgreSQL: nothing. The update's mark is in this same transaction, committed first; its row
    locks hold up only updates about the same conversation."""
    if session.in_transaction() and is_sqlite(session.bind):
        await stats.flush(session)  # the counts of what is committed, with it
        await session.commit()
