"""The real bot against the playground's Bot API stand-in, started in-process on a free port: on
SQLite, and on PostgreSQL with Redis (its several-instance set-up) when those are configured."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from redis.asyncio import Redis

from bot.config import Settings
from playground.runner import Playground
from storage.database import create_engine
from tests.conftest import postgres_url_or_skip, redis_url_or_skip, reset_postgres
from tests.e2e.client import PlaygroundClient


async def _postgres_and_redis(settings: Settings) -> Settings:
    """Settings for an emptied PostgreSQL database and Redis database."""
    database_url, redis_url = postgres_url_or_skip(), redis_url_or_skip()
    engine = create_engine(database_url)
    await reset_postgres(engine)
    await engine.dispose()
    redis = Redis.from_url(redis_url)
    await redis.flushdb()
    await redis.aclose()
    return settings.model_copy(update={"database_url": database_url, "redis_url": redis_url})


@pytest.fixture(params=["sqlite", pytest.param("postgres+redis", marks=pytest.mark.postgres)])
async def playground(request: pytest.FixtureRequest, settings: Settings, tmp_path: Path) -> AsyncIterator[Playground]:
    if request.param != "sqlite":
        settings = await _postgres_and_redis(settings)
    pg = Playground(settings, tmp_path / "playground", port=0)
    await pg.start()
    yield pg
    await pg.stop()


@pytest.fixture
async def client(playground: Playground) -> AsyncIterator[PlaygroundClient]:
    async with PlaygroundClient(playground.url) as c:
        yield c
