"""Faults under load: a database or Redis going down and back, Telegram answering 429/5xx in
bursts, an instance killed mid-conversation. Nothing is lost, nothing is doubled."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
import pytest
from sqlalchemy import text

from bot import runner
from bot.config import Settings
from bot.runner import Instance
from handoff.purge import purge_forever
from knowledge.schema import Translation
from playground.runner import PLAYGROUND_TOKEN
from storage import revisions
from storage.database import create_engine, session_factory
from tests.conftest import postgres_url_or_skip, redis_url_or_skip
from tests.e2e.client import Person, PlaygroundClient
from tests.e2e.handoff_steps import COUNSELLOR, claim, group_id, open_topic, thread_messages
from tests.production.conftest import instance_settings
from tests.production.tcp_proxy import TcpProxy

pytestmark = pytest.mark.postgres


async def fresh_postgres(url: str) -> None:
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


def through(url: str, proxy: TcpProxy) -> str:
    parts = urlsplit(url)
    return url.replace(f"{parts.hostname}:{parts.port}", f"127.0.0.1:{proxy.port}", 1)


@pytest.fixture
async def postgres_proxy() -> AsyncIterator[tuple[TcpProxy, str]]:
    url = postgres_url_or_skip()
    await fresh_postgres(url)
    parts = urlsplit(url)
    proxy = TcpProxy(parts.hostname or "127.0.0.1", parts.port or 5432)
    await proxy.start()
    yield proxy, through(url, proxy)
    await proxy.cut()


@pytest.fixture
async def redis_proxy() -> AsyncIterator[tuple[TcpProxy, str]]:
    url = redis_url_or_skip()
    parts = urlsplit(url)
    proxy = TcpProxy(parts.hostname or "127.0.0.1", parts.port or 6379)
    await proxy.start()
    yield proxy, through(url, proxy)
    await proxy.cut()


async def ready(instance: Instance) -> int:
    async with aiohttp.ClientSession() as http, http.get(f"http://127.0.0.1:{instance.port}/readyz") as r:
        return r.status


async def answered_once(client: PlaygroundClient, people: list[Person], seconds: float = 30.0) -> None:
    """Every person got exactly one reply to their one question."""
    for person in people:
        await client.wait_for(person.id, lambda ms: any(m["from_bot"] for m in ms), seconds=seconds)
    await asyncio.sleep(0.5)  # would a duplicate still arrive?
    for person in people:
        replies = [m for m in await client.messages(person.id) if m["from_bot"]]
        assert len(replies) == 1, f"{person.id} got {len(replies)} replies"


async def test_the_database_going_down_and_back_loses_and_doubles_nothing(
    settings: Settings, standin: str, client: PlaygroundClient, postgres_proxy: tuple[TcpProxy, str]
) -> None:
    proxy, url = postgres_proxy
    instance = Instance(instance_settings(settings, standin, database_url=url), PLAYGROUND_TOKEN)
    await instance.start()
    try:
        before = [Person(id=810_000 + i) for i in range(5)]
        for person in before:
            await client.send(person, "what is prep")
        await answered_once(client, before)
        await proxy.cut()
        during = [Person(id=820_000 + i) for i in range(8)]
        for person in during:
            await client.send(person, "what is prep")
        await asyncio.sleep(1.0)
        assert await ready(instance) == 503, "/readyz says the database is unreachable"
        await proxy.restore()
        await answered_once(client, during)
        assert await ready(instance) == 200
    finally:
        await instance.stop()


async def test_background_loops_outlive_a_database_outage(
    settings: Settings, standin: str, postgres_proxy: tuple[TcpProxy, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A refused connection is an OSError, not SQLAlchemy's error: the knowledge refresh and the purge
    must go on after it, or the instance never sees an editor's change again."""
    monkeypatch.setattr(runner, "KNOWLEDGE_REFRESH_SECONDS", 0.05)
    proxy, url = postgres_proxy
    instance = Instance(instance_settings(settings, standin, database_url=url), PLAYGROUND_TOKEN)
    await instance.start()
    assert instance.parts is not None
    purge = asyncio.create_task(purge_forever(instance.parts.sessions, 0.05))
    direct = create_engine(postgres_url_or_skip())
    try:
        await proxy.cut()
        await asyncio.sleep(0.5)  # every loop meets the outage several times
        await proxy.restore()
        await asyncio.sleep(0.3)
        stopped = [task for task in [*instance.tasks, purge] if task.done()]
        assert not stopped, f"a background loop died in the outage: {[t.exception() for t in stopped]!r}"
        async with session_factory(direct)() as session:  # an editor's change, saved by another instance
            revision = await revisions.save(
                session, "health.condoms", "en", Translation(status="reviewed", title="Condoms", questions=["condoms"],
                                                   answer="Changed after the outage."),
                editor="test", note="", now=dt.datetime.now(dt.UTC),
                replaces=await revisions.newest_id(session, "health.condoms", "en"))
            await session.commit()
        for _ in range(100):
            if instance.parts.kb.version == revision.id:
                break
            await asyncio.sleep(0.05)
        assert instance.parts.kb.version == revision.id, "the change never reached this instance"
    finally:
        purge.cancel()
        await asyncio.gather(purge, return_exceptions=True)
        await direct.dispose()
        await instance.stop()


async def test_redis_going_down_and_back_loses_and_doubles_nothing(
    settings: Settings, standin: str, client: PlaygroundClient, redis_proxy: tuple[TcpProxy, str]
) -> None:
    proxy, url = redis_proxy
    instance = Instance(instance_settings(settings, standin, redis_url=url), PLAYGROUND_TOKEN)
    await instance.start()
    try:
        first = Person(id=830_000)
        await client.send(first, "what is prep")
        await answered_once(client, [first])
        await proxy.cut()
        during = [Person(id=840_000 + i) for i in range(6)]
        for person in during:
            await client.send(person, "what is prep")
        await asyncio.sleep(1.0)
        assert await ready(instance) == 503, "/readyz says Redis is unreachable"
        await proxy.restore()
        await answered_once(client, during)
    finally:
        await instance.stop()


async def test_a_slow_update_keeps_its_chats_redis_lock_and_its_chat_waits(
    settings: Settings, standin: str, client: PlaygroundClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An update sleeping out a 429 longer than the lock's expiry keeps the chat's lock: the chat's
    next update waits (Telegram's order), and the finished update is not answered 503."""
    import bot.app

    monkeypatch.setattr(bot.app, "CHAT_LOCK_SECONDS", 1.0)
    instance = Instance(instance_settings(settings, standin, redis_url=redis_url_or_skip()), PLAYGROUND_TOKEN)
    await instance.start()
    try:
        await client.api("POST", "/api/faults", {"method": "sendMessage", "code": 429, "count": 1, "retry_after": 3})
        person = Person(id=870_000)
        await client.send(person, "what is prep")
        await asyncio.sleep(0.3)
        await client.send(person, "what is pep")
        await client.wait_for(person.id, lambda ms: len([m for m in ms if m["from_bot"]]) >= 2 or None, seconds=20)
        await asyncio.sleep(0.5)  # would a duplicate still arrive?
        replies = [m["text"] for m in await client.messages(person.id) if m["from_bot"]]
        assert len(replies) == 2 and "PrEP" in replies[0] and "PEP" in replies[1], [r[:40] for r in replies]
        assert instance.bot is not None
        assert (await instance.bot.get_webhook_info()).last_error_message is None
    finally:
        await client.api("DELETE", "/api/faults")
        await instance.stop()


async def test_telegram_answering_429_and_5xx_in_bursts_loses_and_doubles_nothing(
    instance: Instance, client: PlaygroundClient
) -> None:
    await client.api("POST", "/api/faults", {"method": "sendMessage", "code": 429, "every": 3, "retry_after": 1})
    people = [Person(id=850_000 + i) for i in range(12)]
    for person in people:
        await client.send(person, "what is prep")
    await answered_once(client, people, seconds=60)
    await client.api("DELETE", "/api/faults")
    await client.api("POST", "/api/faults", {"method": "sendMessage", "code": 502, "every": 2})
    more = [Person(id=860_000 + i) for i in range(8)]
    for person in more:
        await client.send(person, "what is prep")
    await answered_once(client, more, seconds=60)
    await client.api("DELETE", "/api/faults")


async def test_an_instance_killed_mid_conversation_leaves_the_other_to_carry_on(
    settings: Settings, standin: str, client: PlaygroundClient, tmp_path: Path
) -> None:
    """Two instance processes share PostgreSQL and Redis behind a balancer; one is killed (SIGKILL)."""
    from benchmarks.load.processes import Fleet, bot_instance, wait_until_up

    url = postgres_url_or_skip()
    await fresh_postgres(url)
    fleet = Fleet(tmp_path)
    try:
        procs = [bot_instance(fleet, i, standin, url, redis_url_or_skip()) for i in range(2)]
        for proc in procs:
            await wait_until_up(proc.url + "/healthz")
        await client.api("POST", "/api/webhook_targets", {"urls": [p.url + "/telegram/webhook" for p in procs]})
        person = Person(id=870_001)
        topic = await open_topic(client, person)
        await claim(client, topic["thread_id"])
        gid = await group_id(client)
        for i in range(4):
            await client.send(person, f"before {i}")
        os.kill(procs[0].process.pid, signal.SIGKILL)
        for i in range(6):
            await client.send(person, f"after {i}")
            await client.send(COUNSELLOR, f"reply {i}", chat=gid, thread_id=topic["thread_id"])
        expected = {f"before {i}" for i in range(4)} | {f"after {i}" for i in range(6)}
        await client.wait_for(gid, lambda ms: expected <= {m["text"] for m in thread_messages(ms, topic["thread_id"])},
                              seconds=60)
        await client.wait_for(person.id, lambda ms: {f"reply {i}" for i in range(6)} <= {m["text"] for m in ms},
                              seconds=60)
        relayed = [m["text"] for m in thread_messages(await client.messages(gid), topic["thread_id"]) if m["text"] in expected]
        assert sorted(relayed) == sorted(expected), "each message relayed exactly once"
    finally:
        await client.api("DELETE", "/api/webhook_targets")
        fleet.stop()
