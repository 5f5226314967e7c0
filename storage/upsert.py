"""INSERT ... ON CONFLICT for SQLite and PostgreSQL alike (both dialects support it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

_INSERTS: dict[str, Callable[[Any], Any]] = {}  # dialect name -> its `insert`


def _insert_of(session: AsyncSession) -> Callable[[Any], Any]:
    name = session.get_bind().dialect.name
    insert = _INSERTS.get(name)
    if insert is None:
        # Imported when first needed: `sqlalchemy.dialects.postgresql` brings every PostgreSQL
        # driver's dialect with it (~2 MB), which an instance on SQLite never uses.
        if name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        _INSERTS[name] = insert
    return insert


def insert_for(session: AsyncSession, table: Any) -> Any:
    return _insert_of(session)(table)


def prebuilt(build: Callable[[Callable[[Any], Any]], Any]) -> Callable[[AsyncSession], Any]:
    """A statement built once per dialect, given that dialect's `insert`. Statements on the path of
    every update are made once: building one and its cache key cost more than running it."""
    made: dict[Any, Any] = {}

    def for_session(session: AsyncSession) -> Any:
        insert = _insert_of(session)
        if insert not in made:
            made[insert] = build(insert)
        return made[insert]

    return for_session
