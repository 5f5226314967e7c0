"""SQLite for one bot process: statements run on the event loop, and writers take turns.

aiosqlite gives each connection a thread and hands every call (cursor, execute, fetch, close) to it
and back. For the bot's small indexed queries that plumbing is the cost: measured here, a point
query took ~5 µs in sqlite3 and ~215 µs through aiosqlite's thread, and under load the hand-offs
kept the event loop busy. `InlineConnection` is aiosqlite's connection with the calls made in place.

That is only safe if nothing ever waits for a lock on the event loop. In WAL mode readers never
wait; writers would (SQLite allows one at a time and its busy handler sleeps). So every writing
transaction of this process first takes the engine's `asyncio.Lock` -- awaited, not slept -- from
its first write statement until its COMMIT or ROLLBACK is done (`install_write_turns`). One process
only: that is the SQLite deployment (several instances use PostgreSQL).
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import weakref
from collections.abc import Callable
from typing import Any

import aiosqlite
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.util import await_only

# A backstop against a bug (a task waiting for a turn its own other session holds), not a busy timeout:
# a writer may hold its turn through a long Telegram backoff (429: up to minutes), and an update that
# has already replied must not then fail its final write -- redelivered, it would reply twice.
TURN_TIMEOUT = 600.0
_WRITING = ("insert", "update", "delete", "replace", "create", "drop", "alter")


class WriteTurns:
    """One writing transaction at a time in this process; see the module's docstring.

    `while_waiting`: what a writer does while it waits for another's turn to end. The bot gives up
    its place among the updates it works on (bot/admission.py): the turn's holder may be sleeping
    out a Telegram backoff, and the updates queued behind it must not take every place meanwhile."""

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.while_waiting: Callable[[], contextlib.AbstractAsyncContextManager[None]] = contextlib.nullcontext

    async def take(self) -> None:
        if not self.lock.locked():
            await self.lock.acquire()  # free: taken at once
            return
        async with self.while_waiting():
            await asyncio.wait_for(self.lock.acquire(), TURN_TIMEOUT)


class InlineConnection(aiosqlite.Connection):
    """aiosqlite's API (what SQLAlchemy's aiosqlite dialect drives), without the thread. It gives its
    write turn back once COMMIT or ROLLBACK has really happened (or when it closes)."""

    def __init__(self, connector: Callable[[], sqlite3.Connection], turns: WriteTurns) -> None:
        super().__init__(connector, iter_chunk_size=64)
        self.turns = turns
        self.holds_turn = False

    def __await__(self) -> Any:
        return self._connect().__await__()

    async def _connect(self) -> InlineConnection:
        if self._connection is None:
            self._connection = self._connector()
        return self

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if not self._running or self._connection is None:
            raise ValueError("Connection closed")
        return fn(*args, **kwargs)

    async def take_turn(self, statement: str = "", parameters: Any = None) -> None:
        """Before this transaction's first write: wait for the process's write turn."""
        if self.holds_turn:
            return
        try:
            await self.turns.take()
        except TimeoutError:
            # As SQLite would say after its busy timeout.
            raise OperationalError(statement, parameters,
                                   sqlite3.OperationalError("database is locked (no write turn)")) from None
        self.holds_turn = True

    def give_back_turn(self) -> None:
        if self.holds_turn:
            self.holds_turn = False
            self.turns.lock.release()

    async def commit(self) -> None:
        await super().commit()  # a failed COMMIT keeps the turn: the rollback that follows gives it back
        self.give_back_turn()

    async def rollback(self) -> None:
        try:
            await super().rollback()
        finally:
            self.give_back_turn()

    def stop(self) -> None:  # type: ignore[override]
        self._running = False
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        self.give_back_turn()

    async def close(self) -> None:
        self.stop()


def inline_creator(path: str, busy_timeout: float, turns: WriteTurns) -> Callable[[], Any]:
    async def connect() -> InlineConnection:
        # The busy timeout only matters if another process writes to the file (it should not).
        return await InlineConnection(lambda: sqlite3.connect(path, timeout=busy_timeout), turns)

    return connect


_TURNS: weakref.WeakKeyDictionary[Any, WriteTurns] = weakref.WeakKeyDictionary()


def write_turns_of(engine: AsyncEngine) -> WriteTurns:
    """The write turns of an engine made by `storage.database.create_engine` for SQLite."""
    return _TURNS[engine.sync_engine]


def install_write_turns(engine: AsyncEngine, turns: WriteTurns) -> None:
    sync_engine = engine.sync_engine
    _TURNS[sync_engine] = turns

    @event.listens_for(sync_engine, "before_cursor_execute")
    def _take_turn(conn: Connection, cursor: Any, statement: str, parameters: Any, context: Any,
                   executemany: bool) -> None:
        driver = conn.connection.driver_connection
        if not isinstance(driver, InlineConnection) or driver.holds_turn:
            return
        if not statement.lstrip()[:7].lower().startswith(_WRITING):
            return
        await_only(driver.take_turn(statement, parameters))  # awaited on the loop (this runs in a greenlet)

    @event.listens_for(sync_engine.pool, "checkin")
    def _on_checkin(dbapi_connection: Any, record: Any) -> None:  # a backstop: returned mid-transaction
        driver = getattr(dbapi_connection, "_connection", None)
        if isinstance(driver, InlineConnection):
            driver.give_back_turn()
