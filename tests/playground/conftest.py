"""Fixtures for the stand-in tests: a stand-in on a test server, a real aiogram Bot pointed at it,
and small helpers that act as users through the JSON API.

Tests get everything through fixtures (never by importing this file), so they run under both of
pytest's import modes.
"""

from __future__ import annotations

import pathlib
from collections.abc import AsyncIterator, Awaitable, Callable
from types import SimpleNamespace
from typing import Any

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiohttp.test_utils import TestClient, TestServer

from playground.standin import create_standin_app

TOKEN = "123456789:AAtest-token-for-the-playground"
BOT_ID = 123456789
COUNSELLOR_CHAT = -1001234567890
COUNSELLORS = [900001, 900002]
EDITORS = [900003]
USER = {"id": 100001, "first_name": "Sam", "language_code": "nl"}
COUNSELLOR = {"id": 900001, "first_name": "Kim"}

SendAs = Callable[..., Awaitable[int]]


def make_app(state_dir: pathlib.Path) -> Any:
    return create_standin_app(
        state_dir,
        bot_token=TOKEN,
        counsellor_chat_id=COUNSELLOR_CHAT,
        counsellor_ids=COUNSELLORS,
        editor_ids=EDITORS,
    )


@pytest.fixture
def ids() -> SimpleNamespace:
    """The playground's fixed identities."""
    return SimpleNamespace(
        token=TOKEN,
        bot_id=BOT_ID,
        counsellor_chat=COUNSELLOR_CHAT,
        counsellors=COUNSELLORS,
        editors=EDITORS,
        user=USER,
        counsellor=COUNSELLOR,
    )


@pytest.fixture
def new_app() -> Callable[[pathlib.Path], Any]:
    """Build another stand-in app, e.g. on the same state dir to test persistence."""
    return make_app


@pytest.fixture
def new_bot() -> Callable[..., Bot]:
    """A real aiogram Bot for a running test client (caller closes its session)."""
    return bot_for


@pytest.fixture
def state_dir(tmp_path: pathlib.Path) -> pathlib.Path:
    return tmp_path / "standin"


@pytest.fixture
async def api(state_dir: pathlib.Path) -> AsyncIterator[TestClient]:
    client = TestClient(TestServer(make_app(state_dir), host="127.0.0.1"))
    await client.start_server()
    yield client
    await client.close()


def bot_for(client: TestClient, token: str = TOKEN) -> Bot:
    base = str(client.make_url("/")).rstrip("/")
    return Bot(token, session=AiohttpSession(api=TelegramAPIServer.from_base(base)))


@pytest.fixture
async def bot(api: TestClient) -> AsyncIterator[Bot]:
    bot = bot_for(api)
    yield bot
    await bot.session.close()


@pytest.fixture
def send(api: TestClient) -> SendAs:
    """POST /api/send; returns the new message id (fails the test on an error answer)."""

    async def send_as(chat: int = USER["id"], sender: dict[str, Any] = USER, **fields: Any) -> int:
        response = await api.post("/api/send", json={"chat": chat, "from": sender, **fields})
        body = await response.json()
        assert response.status == 200, body
        return body["message_id"]

    return send_as


async def chat_view(api: TestClient, chat_id: int) -> dict[str, Any]:
    response = await api.get(f"/api/chats/{chat_id}")
    assert response.status == 200
    return await response.json()


@pytest.fixture
def view(api: TestClient) -> Callable[[int], Awaitable[dict[str, Any]]]:
    async def get(chat_id: int = USER["id"]) -> dict[str, Any]:
        return await chat_view(api, chat_id)

    return get
