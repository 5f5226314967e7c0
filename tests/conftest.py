"""Shared fixtures: settings in a temporary data dir, the database URLs to test against."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import Settings
from storage.database import create_engine
from storage.migrate import upgrade

# The stand-in keeps Telegram's flood limits by default. Most end-to-end tests open many conversations
# within seconds, far past a group's 20 messages a minute, to test something else; they run without
# the limits. The tests of the limits and of how the bot copes with them ask for them explicitly
# (tests/playground/test_standin_limits.py, tests/e2e/test_danger_first.py).
os.environ.setdefault("VRAAGBAAK_STANDIN_LIMITS", "off")
os.environ.setdefault("VRAAGBAAK_TELEGRAM_LIMITS", "false")  # and the bot does not keep them either

POSTGRES_URL = os.environ.get("VRAAGBAAK_TEST_POSTGRES_URL")
REDIS_URL = os.environ.get("VRAAGBAAK_TEST_REDIS_URL")
# In CI PostgreSQL tests are required: a missing URL fails them instead of skipping.
POSTGRES_REQUIRED = os.environ.get("VRAAGBAAK_REQUIRE_POSTGRES") == "1"


def postgres_url_or_skip() -> str:
    if POSTGRES_URL:
        return POSTGRES_URL
    if POSTGRES_REQUIRED:
        pytest.fail("VRAAGBAAK_TEST_POSTGRES_URL is required in CI")
    pytest.skip("PostgreSQL tests need VRAAGBAAK_TEST_POSTGRES_URL")


def redis_url_or_skip() -> str:
    if REDIS_URL:
        return REDIS_URL
    if POSTGRES_REQUIRED:
        pytest.fail("VRAAGBAAK_TEST_REDIS_URL is required in CI")
    pytest.skip("needs VRAAGBAAK_TEST_REDIS_URL")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path / "data", secret_key="test-secret-key-for-tests-only")  # type: ignore[call-arg]


async def reset_postgres(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def db_engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """A migrated, empty database: a real SQLite file, and a real PostgreSQL when configured."""
    if request.param == "sqlite":
        engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'test.db'}")
    else:
        engine = create_engine(postgres_url_or_skip())
        await reset_postgres(engine)
    await upgrade(engine)
    yield engine
    await engine.dispose()
