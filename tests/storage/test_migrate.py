"""Migrations: they build the models' schema, and run in a child process (how `vraagbaak run` applies
them, keeping Alembic out of its memory)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.database import create_engine
from storage.migrate import upgrade_in_child
from tests.conftest import postgres_url_or_skip, reset_postgres


async def _version(url: str) -> str:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return str((await conn.execute(text("SELECT version_num FROM alembic_version"))).scalar_one())
    finally:
        await engine.dispose()


async def _head() -> str:
    from alembic.script import ScriptDirectory

    from storage.migrate import alembic_config

    return str(ScriptDirectory.from_config(alembic_config()).get_current_head())


async def test_a_new_sqlite_file_is_migrated_to_the_latest_schema(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"
    await upgrade_in_child(url)
    assert await _version(url) == await _head()
    await upgrade_in_child(url)  # already there: nothing to do, no error
    assert await _version(url) == await _head()


@pytest.mark.postgres
async def test_postgresql_is_migrated_to_the_latest_schema() -> None:
    url = postgres_url_or_skip()
    engine = create_engine(url)
    await reset_postgres(engine)
    await engine.dispose()
    await upgrade_in_child(url)
    assert await _version(url) == await _head()


async def test_a_failing_migration_is_reported_with_the_childs_error() -> None:
    url = "postgresql+asyncpg://nobody:hunter2@127.0.0.1:1/nothing"  # nothing listens on port 1
    with pytest.raises(RuntimeError, match=r"(?s)migrating the database failed:.*Connect") as failure:
        await upgrade_in_child(url)
    assert "hunter2" not in str(failure.value)


async def test_a_relative_sqlite_path_means_the_same_file_to_the_child(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    await upgrade_in_child("sqlite+aiosqlite:///relative.db")
    assert await _version(f"sqlite+aiosqlite:///{tmp_path / 'relative.db'}") == await _head()


async def test_the_migrations_build_exactly_the_models_schema(db_engine: AsyncEngine) -> None:
    """A column, table or index added to storage/models.py without a migration (or the reverse) fails here."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from storage.models import Base

    async with db_engine.connect() as connection:
        differences = await connection.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync), Base.metadata))
    assert differences == []


async def test_a_counsellors_name_kept_in_plain_form_before_is_gone_after_upgrading(tmp_path: Path) -> None:
    """Revision 0006 keeps the name only encrypted; a name stored in plain form by 0005 is dropped
    (the claim stays), and no copy of it is left in the file's free pages."""
    from storage.migrate import upgrade

    path = tmp_path / "old.db"
    url = f"sqlite+aiosqlite:///{path}"
    engine = create_engine(url)
    try:
        await upgrade(engine, "0005")
        async with engine.begin() as conn:
            await conn.execute(text(
                "INSERT INTO conversations (alias, person, language, topic, crisis, status, counsellor, counsellor_name,"
                " created_at, queued_at) VALUES ('Guest K7F3', :person, 'nl', '', 0, 'claimed', :counsellor,"
                " 'Quillonette', '2026-11-23 10:00:00', '2026-11-23 10:00:00')"),
                {"person": "p" * 64, "counsellor": "c" * 64})
        await upgrade(engine)
        async with engine.connect() as conn:
            row = (await conn.execute(text(
                "SELECT status, counsellor, counsellor_name_cipher FROM conversations"))).one()
    finally:
        await engine.dispose()
    assert tuple(row) == ("claimed", "c" * 64, None)
    assert await _version(url) == await _head()
    assert not _files_holding(tmp_path, "old.db", b"quillonette")


def _files_holding(folder: Path, prefix: str, needle: bytes) -> list[str]:
    files = [p for p in folder.iterdir() if p.name.startswith(prefix)]
    assert files, f"no {prefix} files in {folder}"
    return [p.name for p in files if needle in p.read_bytes().lower()]
