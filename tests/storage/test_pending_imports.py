"""Uploaded content waits for its editor's confirmation in the database, so that any instance can
take the confirming request (storage/pending_imports.py)."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import pending_imports
from storage.database import create_engine, session_factory
from storage.models import PendingImport

FILES = {"content/fr/health.yaml": "health.pep:\n  title: \"PEP — é\"\n"}
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


async def test_an_upload_is_taken_once_by_its_editor_on_another_instance(db_engine: AsyncEngine) -> None:
    async with session_factory(db_engine)() as session:
        key = await pending_imports.put(session, "editor-a", FILES, NOW)
        await session.commit()
    other_instance = create_engine(db_engine.url.render_as_string(hide_password=False))
    try:
        async with session_factory(other_instance)() as session:
            assert await pending_imports.take(session, key, "editor-b", NOW) is None, "another editor's"
            assert await pending_imports.take(session, key, "editor-a", NOW) == FILES
            await session.commit()
        async with session_factory(other_instance)() as session:
            assert await pending_imports.take(session, key, "editor-a", NOW) is None, "taken only once"
    finally:
        await other_instance.dispose()


async def test_two_confirmations_at_once_apply_one_upload(db_engine: AsyncEngine) -> None:
    sessions = session_factory(db_engine)
    async with sessions() as session:
        key = await pending_imports.put(session, "editor-a", FILES, NOW)
        await session.commit()

    async def confirm() -> dict[str, str] | None:
        async with sessions() as session:
            files = await pending_imports.take(session, key, "editor-a", NOW)
            await session.commit()
            return files

    assert sorted(map(bool, await asyncio.gather(confirm(), confirm()))) == [False, True]


async def test_an_upload_waits_fifteen_minutes_and_the_oldest_make_room(db_engine: AsyncEngine) -> None:
    sessions = session_factory(db_engine)
    async with sessions() as session:
        late = await pending_imports.put(session, "editor-a", FILES, NOW)
        keys = [await pending_imports.put(session, "editor-a", FILES, NOW + dt.timedelta(seconds=i + 1))
                for i in range(pending_imports.PENDING_LIMIT)]
        await session.commit()
    async with sessions() as session:
        waiting = await session.scalar(select(func.count()).select_from(PendingImport))
        assert waiting == pending_imports.PENDING_LIMIT
        assert await pending_imports.take(session, late, "editor-a", NOW) is None, "the oldest made room"
        after = NOW + pending_imports.PENDING_LIFETIME + dt.timedelta(seconds=2)
        assert await pending_imports.take(session, keys[0], "editor-a", after) is None, "too late"
        assert await pending_imports.take(session, keys[-1], "editor-a", after) == FILES
        await pending_imports.purge(session, after + dt.timedelta(minutes=1))  # all of them left unconfirmed
        await session.commit()
        assert await session.scalar(select(func.count()).select_from(PendingImport)) == 0
