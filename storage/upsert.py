"""INSERT ... ON CONFLICT for SQLite and PostgreSQL alike (both dialects support it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


def _insert_of(session: AsyncSession) -> Callable[[Any], Any]:
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


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
