"""Production-mode fixtures: the stand-in delivering by webhook to real bot instances."""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from pydantic import SecretStr

from bot.config import Settings
from bot.runner import Instance
from playground.runner import COUNSELLOR_CHAT_ID, COUNSELLOR_IDS, EDITOR_IDS, PLAYGROUND_TOKEN
from playground.standin.app import create_standin_app
from tests.e2e.client import PlaygroundClient

REDIS_URL = os.environ.get("VRAAGBAAK_TEST_REDIS_URL")
ALWAYS_OPEN = {d: "00:00-24:00" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def standin(tmp_path: Path) -> AsyncIterator[str]:
    app = create_standin_app(tmp_path / "standin", bot_token=PLAYGROUND_TOKEN, counsellor_chat_id=COUNSELLOR_CHAT_ID,
                             counsellor_ids=COUNSELLOR_IDS, editor_ids=EDITOR_IDS)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    yield f"http://127.0.0.1:{port}"
    await asyncio.wait_for(runner.cleanup(), 20)


def instance_settings(settings: Settings, standin_url: str, **overrides: object) -> Settings:
    port = free_port()
    values: dict[str, object] = {
        "telegram_api_url": standin_url, "public_url": f"http://127.0.0.1:{port}", "listen_port": port,
        "counsellor_chat_id": COUNSELLOR_CHAT_ID, "counsellor_ids": COUNSELLOR_IDS, "editor_ids": EDITOR_IDS,
        "opening_hours": ALWAYS_OPEN, "metrics_token": SecretStr("metrics-token-for-tests"), **overrides,
    }
    return settings.model_copy(update=values)


@pytest.fixture
async def instance(settings: Settings, standin: str) -> AsyncIterator[Instance]:
    inst = Instance(instance_settings(settings, standin), PLAYGROUND_TOKEN)
    await inst.start()
    yield inst
    await asyncio.wait_for(inst.stop(), 20)


@pytest.fixture
async def client(standin: str) -> AsyncIterator[PlaygroundClient]:
    async with PlaygroundClient(standin) as c:
        yield c
