"""A database that is down: the person gets a clear, calm reply (and the number for danger), and
the bot works again as soon as the database is back."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bot.config import Settings
from playground.runner import Playground
from tests.conftest import postgres_url_or_skip
from tests.e2e.client import Person, PlaygroundClient
from tests.production.tcp_proxy import TcpProxy


@pytest.mark.postgres
async def test_a_database_outage_gets_a_clear_reply_and_service_resumes(settings: Settings, tmp_path: Path) -> None:
    from tests.production.test_faults import fresh_postgres, through

    url = postgres_url_or_skip()
    await fresh_postgres(url)
    parts = urlsplit(url)
    proxy = TcpProxy(parts.hostname or "127.0.0.1", parts.port or 5432)
    await proxy.start()
    pg = Playground(settings.model_copy(update={"database_url": through(url, proxy)}), tmp_path / "pg", port=0)
    await pg.start()
    try:
        async with PlaygroundClient(pg.url) as client:
            person = Person(id=880_001)
            await client.reply_to(person, "what is prep", containing="PrEP")
            await proxy.cut()
            sorry = await client.reply_to(person, "what is pep", containing="went wrong")
            assert "112" in sorry["text"]
            await proxy.restore()
            await client.reply_to(person, "what is pep", containing="72")
    finally:
        await pg.stop()
        await proxy.cut()
