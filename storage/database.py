"""Engine and sessions for SQLite (aiosqlite) and PostgreSQL (asyncpg), with the same code."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

POOL_SIZE = 40  # Telegram delivers at most 40 webhook updates at once by default (max_connections)


def create_engine(url: str) -> AsyncEngine:
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # An update holds its connection while the bot talks to Telegram, so the pool must cover the
        # updates handled at once (webhook deliveries in flight), or they queue for connections.
        engine = create_async_engine(url, connect_args={"timeout": 15}, pool_size=POOL_SIZE, max_overflow=0)

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
            cursor.close()

        return engine
    return create_async_engine(url, pool_pre_ping=True, pool_size=POOL_SIZE // 2, max_overflow=POOL_SIZE // 2)


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # No autoflush: changes to loaded rows (a person's last-seen day) are written with the update's
    # other writes at its end, not at the next read -- on SQLite, a write takes the one write lock.
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


def is_sqlite(engine: AsyncEngine) -> bool:
    return engine.dialect.name == "sqlite"


class WriteGate:
    """SQLite lets one connection write at a time; the others retry inside SQLite's busy handler,
    sleeping up to 100 ms between tries. Writers of this process queue here instead and each starts
    the moment the previous one is done. (On PostgreSQL rows are locked, not the database: no gate.)"""

    def __init__(self, engine: AsyncEngine) -> None:
        self._lock = asyncio.Lock() if is_sqlite(engine) else None

    @contextlib.asynccontextmanager
    async def writing(self, session: AsyncSession) -> AsyncIterator[None]:
        if self._lock is None or await _sqlite_writing_already(session):
            # A session that already writes holds SQLite's lock: waiting here for someone who waits
            # for that lock would stall both until the busy timeout.
            yield
            return
        async with self._lock:
            yield


async def _sqlite_writing_already(session: AsyncSession) -> bool:
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    return bool(raw.driver_connection.in_transaction)  # type: ignore[union-attr]
