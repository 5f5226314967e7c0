"""Apply Alembic migrations: from inside the running event loop (tests, the playground), or in a
short-lived child process (`python -m storage.migrate`, used by `vraagbaak run`), so that Alembic and
Mako (11 MB) never stay in the serving process's memory."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine import Connection

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
URL_VARIABLE = "VRAAGBAAK_MIGRATE_URL"  # the environment, not argv: a PostgreSQL URL may hold a password


def alembic_config(url: str | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


# Any constant: instances starting together take turns to migrate instead of racing.
MIGRATION_LOCK = 7_341_002_211


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    def _run(connection: Connection) -> None:
        from alembic import command

        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    async with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        await conn.run_sync(_run)


async def upgrade_in_child(url: str) -> None:
    """`upgrade` to the latest schema in a child process; its error output, if it fails."""
    from storage.child_process import run_module

    code, _, errors = await run_module("storage.migrate", env={URL_VARIABLE: url}, keep_stdout=False)
    if code != 0:
        raise RuntimeError(f"migrating the database failed:\n{errors.decode(errors='replace')[-2000:]}")


async def _upgrade_url(url: str) -> None:
    from storage.database import create_engine

    engine = create_engine(url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(_upgrade_url(os.environ[URL_VARIABLE]))
