"""INSERT ... ON CONFLICT for SQLite and PostgreSQL alike (both dialects support it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


def insert_for(session: AsyncSession, table: Any) -> Any:
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def prebuilt(build: Callable[[Callable[[Any], Any]], Any]) -> Callable[[AsyncSession], Any]:
    """A statement built once per dialect, given that dialect's `insert`. Statements on the path of
    every update are made once: building one and its cache key cost more than running it."""
    made: dict[str, Any] = {}

    def for_session(session: AsyncSession) -> Any:
        name = session.get_bind().dialect.name
        if name not in made:
            made[name] = build(postgresql.insert if name == "postgresql" else sqlite.insert)
        return made[name]

    return for_session
