"""The few statements every update runs, executed straight on the session's own sqlite3 connection.

Through SQLAlchemy's async execution path (a greenlet hop, an execution context, the aiosqlite
adapter's cursor) one of these took ~170 µs here; the same statement in sqlite3 takes ~5 µs, and
there are four on every update. `Direct` compiles a Core statement once for SQLite and runs it on the
connection the session already holds, inside the same transaction, converting values with
SQLAlchemy's own type processors, so what it writes and reads is exactly what the ORM would.
On PostgreSQL it is run as the Core statement it is.

Writes take SQLite's write turn first, as every write through SQLAlchemy does (storage/sqlite_inline.py);
the transaction's COMMIT or ROLLBACK gives it back (the session's, or `commit` below).
"""

from __future__ import annotations

import sqlite3
import weakref
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.sql import Executable

Params = Mapping[str, Any]
_HELD = "direct_sqlite_connection"  # in session.info: (the session's transaction, its sqlite driver)


@contextmanager
def _as_sqlalchemy_error(sql: str, params: Any) -> Iterator[None]:
    """sqlite3's errors raised as SQLAlchemy raises them (e.g. a full disk as OperationalError): the
    webhook answers 503 to those, so Telegram redelivers the update instead of it being lost."""
    try:
        yield
    except sqlite3.Error as exc:
        raise DBAPIError.instance(sql, params, exc, sqlite3.Error) from exc


class _CompiledForSqlite:
    def __init__(self, statement: Any, dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        self.sql = str(compiled)
        names = compiled.positiontup or []
        self.names = list(names)
        # Values fixed in the statement itself (e.g. the statuses in storage.conversations.IS_OPEN).
        self.fixed = {name: compiled.binds[name].effective_value for name in names
                      if compiled.binds[name].value is not None}
        self.binders: list[Callable[[Any], Any] | None] = [
            compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names]
        columns = list(getattr(statement, "selected_columns", ()))
        self.readers: list[Callable[[Any], Any] | None] = [
            column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns]
        self.writes = statement.is_dml

    def bind(self, params: Params) -> tuple[Any, ...]:
        values = (params[name] if name in params else self.fixed[name] for name in self.names)
        return tuple(value if binder is None else binder(value)
                     for value, binder in zip(values, self.binders, strict=True))

    def read(self, row: Sequence[Any]) -> tuple[Any, ...]:
        if not self.readers:
            return tuple(row)
        return tuple(value if reader is None else reader(value)
                     for value, reader in zip(row, self.readers, strict=True))


def _held_driver(session: AsyncSession) -> Any:
    """The SQLite driver connection `Direct` kept for the session's current transaction, if any. Kept
    because asking the session for its connection costs a greenlet hop (~17 µs) on every statement.
    The transaction is held by a weak reference: it refers to the session, so a strong one in the
    session's `info` would make a cycle, and every update's session, connection and ~40 objects of
    theirs would wait for the garbage collector instead of going when the update ends."""
    held = session.info.get(_HELD)
    transaction = session.sync_session.get_transaction()
    if (held is not None and transaction is not None and held[0]() is transaction and transaction.is_active
            and held[1]._connection is not None):  # not closed under it (an invalidated connection)
        return held[1]
    return None


class Direct:
    """A Core statement (or one per dialect, via storage.upsert.prebuilt) run directly on SQLite."""

    def __init__(self, statement: Executable | Callable[[AsyncSession], Executable]) -> None:
        self._statement = statement
        self._sqlite: _CompiledForSqlite | None = None

    def _for(self, session: AsyncSession) -> Any:
        return self._statement(session) if callable(self._statement) else self._statement

    async def _connection(self, session: AsyncSession) -> tuple[Any, sqlite3.Connection] | AsyncConnection:
        """SQLite: the session's driver connection and its sqlite3 connection; otherwise the session's."""
        driver = _held_driver(session)
        if driver is None:
            connection = await session.connection()  # checked out and begun, as the session would
            if connection.dialect.name != "sqlite":
                return connection
            driver = connection.sync_connection.connection.driver_connection  # type: ignore[union-attr]
            session.info[_HELD] = (weakref.ref(session.sync_session.get_transaction()), driver)
        if self._sqlite is None:
            self._sqlite = _CompiledForSqlite(self._for(session), session.sync_session.get_bind().dialect)
        return driver, driver._connection

    async def _write_turn(self, driver: Any) -> None:
        if self._sqlite is not None and self._sqlite.writes:
            await driver.take_turn(self._sqlite.sql)

    async def rows(self, session: AsyncSession, params: Params) -> list[tuple[Any, ...]]:
        found = await self._connection(session)
        if not isinstance(found, tuple):
            return [tuple(row) for row in await found.execute(self._for(session), dict(params))]
        driver, raw = found
        await self._write_turn(driver)
        compiled = self._sqlite
        assert compiled is not None
        with _as_sqlalchemy_error(compiled.sql, params):
            return [compiled.read(row) for row in raw.execute(compiled.sql, compiled.bind(params)).fetchall()]

    async def first(self, session: AsyncSession, params: Params) -> tuple[Any, ...] | None:
        found = await self.rows(session, params)
        return found[0] if found else None

    async def run(self, session: AsyncSession, params: Params | Sequence[Params]) -> int:
        """Execute (once per parameter set, if several); the number of rows it changed."""
        many = not isinstance(params, Mapping)
        found = await self._connection(session)
        if not isinstance(found, tuple):
            result = await found.execute(self._for(session), [dict(p) for p in params] if many else dict(params))
            return int(result.rowcount)  # type: ignore[attr-defined]
        driver, raw = found
        await self._write_turn(driver)
        compiled = self._sqlite
        assert compiled is not None
        with _as_sqlalchemy_error(compiled.sql, params):
            if many:
                return raw.executemany(compiled.sql, [compiled.bind(p) for p in params]).rowcount  # type: ignore[union-attr]
            return raw.execute(compiled.sql, compiled.bind(params)).rowcount  # type: ignore[arg-type]


async def commit(session: AsyncSession) -> None:
    """`session.commit()`, for the end of an update's unit of work. On SQLite, when the ORM has nothing
    left to write and the transaction went through `Direct`, its sqlite3 connection is committed
    directly (giving back the write turn): SQLAlchemy's commit path cost ~150 µs more, on every
    update. The session's own bookkeeping of that transaction ends when it closes (a rollback with
    nothing left to undo), so the session must not be used after this but closed."""
    driver = _held_driver(session)
    if driver is None or session.new or session.dirty or session.deleted:
        await session.commit()
        return
    with _as_sqlalchemy_error("COMMIT", None):  # e.g. a full disk: a 503, and Telegram redelivers
        await driver.commit()
