"""Each update's database session on SQLite: bound to a connection kept from one update to the next.

An update's session cost ~600 µs here, most of it SQLAlchemy checking a connection out of its pool
and back in (a `Connection` made and closed, the pool's events, its reset rollback), not the
statements. A session bound to an open connection begins and ends its own transaction on it, as it
does on a pooled one, and skips the rest: 130-160 µs less per update (benchmarks/session_cost.py).
Connections go back to a short free list, up to as many as the bot works on at once; any more come
from the pool and go back to it. On PostgreSQL sessions take pooled connections as before.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker


class KeptConnectionSessions:
    """`async with sessions() as session`, as with an `async_sessionmaker`."""

    def __init__(self, engine: AsyncEngine, sessions: async_sessionmaker[AsyncSession], keep: int) -> None:
        self._engine = engine
        self._sessions = sessions  # their configuration (expire_on_commit, autoflush) for ours too
        self._keep = keep
        self._free: list[AsyncConnection] = []

    @contextlib.asynccontextmanager
    async def __call__(self) -> AsyncIterator[AsyncSession]:
        connection = self._free.pop() if self._free else await self._engine.connect()
        # The session begins its transaction on the connection and ends it on closing. Closed here, not
        # by `async with session`: that closes in a task of its own, shielded from cancellation (a task
        # made and scheduled per update, ~70 µs); if this one is cancelled while closing, the connection
        # is left in its transaction and `_put_back` gives it to the pool, which rolls it back.
        session = self._sessions(bind=connection)
        try:
            yield session
        finally:
            try:
                await session.close()
            finally:
                await self._put_back(connection)

    async def _put_back(self, connection: AsyncConnection) -> None:
        # One SQLAlchemy invalidated (a disk error, say), or still in a transaction (its session's close
        # was cut short), is closed and not used again: the pool would do the same.
        if connection.closed or connection.invalidated or connection.in_transaction() \
                or len(self._free) >= self._keep:
            await connection.close()
        else:
            self._free.append(connection)

    @property
    def kept(self) -> int:
        return len(self._free)

    async def close(self) -> None:
        """Before the engine is disposed (it only closes the connections its pool holds)."""
        while self._free:
            await self._free.pop().close()
