"""The editors' pages against the real bot in the playground: an editor signs in through /edit and
uses the pages over HTTP (aiohttp) or in Chromium (Playwright)."""

from __future__ import annotations

import asyncio
import html
import re
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.config import Settings
from playground.runner import EDITOR_IDS, Playground
from tests.e2e.client import Person, PlaygroundClient
from tests.e2e.conftest import client

__all__ = ["EDITOR", "Admin", "client", "sign_in_link", "started_playground"]

EDITOR = Person(id=EDITOR_IDS[0], first_name="Edith", language_code="en")
LINK = re.compile(r"https?://[^\s\"<>]+/admin/login\?token=[A-Za-z0-9_-]+")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


async def started_playground(settings: Settings, data_dir: Path) -> Playground:
    """A playground whose bot is already polling: stopping one that has not started polling yet waits
    for the 15 s timeout in Playground.stop."""
    pg = Playground(settings, data_dir, port=0)
    await pg.start()
    deadline = time.monotonic() + 10
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < deadline:  # deleteWebhook is the bot's last call before it polls
            async with http.get(f"{pg.url}/api/calls", params={"method": "deleteWebhook"}) as response:
                if (await response.json())["calls"]:
                    break
            await asyncio.sleep(0.02)
    lock = getattr(pg.dp, "_running_lock", None)  # aiogram's "polling now" lock
    for _ in range(250):
        if lock is None or lock.locked():
            break
        await asyncio.sleep(0.02)
    return pg


@pytest.fixture
async def playground(settings: Settings, tmp_path: Path) -> AsyncIterator[Playground]:
    pg = await started_playground(settings, tmp_path / "playground")
    yield pg
    await pg.stop()


async def sign_in_link(client: PlaygroundClient, person: Person = EDITOR) -> str:
    """Send /edit as `person` and return the link in the bot's reply."""
    reply = await client.reply_to(person, "/edit", containing="/admin/login")
    found = LINK.search(reply["text"])
    assert found, reply["text"]
    return found.group(0)


@dataclass
class Admin:
    """An editor's browser without JavaScript: a cookie jar that accepts the playground's 127.0.0.1."""

    base_url: str
    http: aiohttp.ClientSession = field(
        default_factory=lambda: aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)))
    csrf: str = ""

    async def close(self) -> None:
        await self.http.close()

    def url(self, path: str) -> str:
        return path if path.startswith("http") else self.base_url + path

    async def get(self, path: str, **kw: Any) -> tuple[int, str]:
        async with self.http.get(self.url(path), **kw) as response:
            return response.status, await response.text()

    async def post(self, path: str, data: Any = None, *, with_csrf: bool = True,
                   **kw: Any) -> tuple[int, str, aiohttp.ClientResponse]:
        if isinstance(data, dict):
            data = {**data, "csrf_token": self.csrf} if with_csrf else dict(data)
        elif isinstance(data, aiohttp.FormData) and with_csrf:
            data.add_field("csrf_token", self.csrf)
        async with self.http.post(self.url(path), data=data, allow_redirects=False, **kw) as response:
            return response.status, await response.text(), response

    async def follow(self, path: str, data: Any = None, **kw: Any) -> tuple[int, str]:
        """POST, expect the 303 of a successful form, and load where it points."""
        status, body, response = await self.post(path, data, **kw)
        assert status == 303, (status, body[:2000])
        return await self.get(response.headers["Location"])

    async def sign_in(self, link: str) -> None:
        status, body = await self.get(link)
        assert status == 200 and "You are signed in" in body, body[:500]
        status, body = await self.get("/admin")  # where the signed-in page moves on to
        assert status == 200 and "<h1>Topics</h1>" in body, body[:500]
        self.csrf = html.unescape(CSRF.search(body).group(1))  # type: ignore[union-attr]


@pytest.fixture
async def admin(playground: Playground, client: PlaygroundClient) -> AsyncIterator[Admin]:
    """An editor signed in through the bot's /edit link."""
    signed_in = Admin(playground.url)
    await signed_in.sign_in(await sign_in_link(client))
    yield signed_in
    await signed_in.close()


@pytest.fixture
async def anonymous(playground: Playground) -> AsyncIterator[Admin]:
    """Someone with no session at all."""
    visitor = Admin(playground.url)
    yield visitor
    await visitor.close()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say plainly when the browser tests did not run, and why (a skip is easy to miss in -q output)."""
    skipped = [r for r in terminalreporter.stats.get("skipped", []) if "tests/web/test_browser.py" in r.nodeid]
    if skipped:
        longrepr = skipped[0].longrepr
        reason = (longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)).removeprefix("Skipped: ")
        terminalreporter.write_line(f"{len(skipped)} browser tests skipped: {reason}", yellow=True, bold=True)
