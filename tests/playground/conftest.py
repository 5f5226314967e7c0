"""Fixtures for the stand-in tests: a stand-in on a test server, a real aiogram Bot pointed at it,
and small helpers that act as users through the JSON API.

Tests get everything through fixtures (never by importing this file), so they run under both of
pytest's import modes.
"""

from __future__ import annotations

import asyncio
import pathlib
import socket
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from types import SimpleNamespace
from typing import Any

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiohttp import web
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


def make_app(state_dir: pathlib.Path, limits: bool = False) -> Any:
    """Telegram's flood limits are off here: these tests look at one feature of the stand-in at a time
    and send faster than Telegram allows. The limits have their own tests (marked `telegram_limits`),
    and the bot's own tests run against the stand-in with them on."""
    return create_standin_app(
        state_dir,
        bot_token=TOKEN,
        counsellor_chat_id=COUNSELLOR_CHAT,
        counsellor_ids=COUNSELLORS,
        editor_ids=EDITORS,
        limits=limits,
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
async def api(state_dir: pathlib.Path, request: pytest.FixtureRequest) -> AsyncIterator[TestClient]:
    limits = request.node.get_closest_marker("telegram_limits") is not None
    client = TestClient(TestServer(make_app(state_dir, limits), host="127.0.0.1"))
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


class Receiver:
    """A bot's webhook endpoint on a real port: records every delivery, answers as scripted.

    `script` holds the statuses of the next answers (then 200); `hold`, while cleared, keeps requests
    waiting; `delay` slows every answer down. `acked` lists update ids answered with 2xx. `reply`, if
    set, gives the JSON body of an answer (a Bot API call for Telegram to make), or None for none.
    """

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []  # {"update", "headers", "started", "ended", "status"}
        self.acked: list[int] = []
        self.script: deque[int] = deque()
        self.delay = 0.0
        self.hold = asyncio.Event()
        self.hold.set()
        self.active = 0
        self.most_active = 0
        self.reply: Callable[[dict[str, Any]], dict[str, Any] | None] | None = None
        self.server: TestServer | None = None
        self.url = ""

    async def handle(self, request: web.Request) -> web.Response:
        record = {
            "update": await request.json(),
            "headers": dict(request.headers),
            "started": time.monotonic(),
        }
        self.requests.append(record)
        self.active += 1
        self.most_active = max(self.most_active, self.active)
        try:
            await self.hold.wait()
            if self.delay:
                await asyncio.sleep(self.delay)
            status = self.script.popleft() if self.script else 200
        finally:
            self.active -= 1
        record.update(ended=time.monotonic(), status=status)
        if 200 <= status < 300:
            self.acked.append(record["update"]["update_id"])
        body = self.reply(record["update"]) if self.reply is not None else None
        return web.json_response(body, status=status) if body is not None else web.Response(status=status)

    def texts(self, chat: int | None = None) -> list[str]:
        """Texts of the acknowledged message updates, in the order they were answered."""
        done = [r for r in self.requests if 200 <= r.get("status", 0) < 300 and "message" in r["update"]]
        done.sort(key=lambda r: r["ended"])
        return [
            r["update"]["message"]["text"]
            for r in done
            if chat is None or r["update"]["message"]["chat"]["id"] == chat
        ]

    async def start(self) -> Receiver:
        app = web.Application()
        app.router.add_post("/hook", self.handle)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()
        self.url = str(self.server.make_url("/hook"))
        return self

    async def close(self) -> None:
        self.hold.set()
        if self.server is not None:
            await self.server.close()


@pytest.fixture
async def receiver() -> AsyncIterator[Callable[[], Awaitable[Receiver]]]:
    """Start webhook receivers (each on its own port); all are closed after the test."""
    started: list[Receiver] = []

    async def start() -> Receiver:
        started.append(await Receiver().start())
        return started[-1]

    yield start
    for one in started:
        await one.close()


@pytest.fixture
def free_url() -> Callable[[], str]:
    """A local http URL nothing listens on: connections to it are refused."""

    def make() -> str:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        return f"http://127.0.0.1:{port}/hook"

    return make


@pytest.fixture
def eventually() -> Callable[..., Awaitable[Any]]:
    """Await until `check()` (sync or async) returns something truthy; fail after `seconds`."""

    async def wait(check: Callable[[], Any], seconds: float = 10.0, what: str = "condition") -> Any:
        deadline = time.monotonic() + seconds
        while True:
            result = check()
            if asyncio.iscoroutine(result):
                result = await result
            if result:
                return result
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}")
            await asyncio.sleep(0.02)

    return wait
