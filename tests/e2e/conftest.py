"""The real bot against the playground's Bot API stand-in, started in-process on a free port."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import Settings
from playground.runner import Playground
from tests.e2e.client import PlaygroundClient


@pytest.fixture
async def playground(settings: Settings, tmp_path: Path) -> AsyncIterator[Playground]:
    pg = Playground(settings, tmp_path / "playground", port=0)
    await pg.start()
    yield pg
    await pg.stop()


@pytest.fixture
async def client(playground: Playground) -> AsyncIterator[PlaygroundClient]:
    async with PlaygroundClient(playground.url) as c:
        yield c
