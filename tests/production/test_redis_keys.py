"""Redis never sees a person's Telegram id: every command the bot sends it while a person asks,
talks to a counsellor and gets replies is read back, and no id appears in it."""

from __future__ import annotations

import asyncio
import contextlib

import pytest
from aiogram.fsm.storage.base import DefaultKeyBuilder, StorageKey

from bot.config import Settings
from bot.redis_keys import PseudonymousKeyBuilder
from bot.runner import Instance
from playground.runner import PLAYGROUND_TOKEN
from storage.secrets import Pseudonymizer
from tests.e2e.client import Person, PlaygroundClient
from tests.production.conftest import instance_settings
from tests.production.test_faults import redis_url_or_skip

pytestmark = pytest.mark.postgres

PERSON_ID = 7_319_024_865


def test_a_key_names_one_chat_without_its_ids() -> None:
    keys = PseudonymousKeyBuilder(Pseudonymizer(b"k" * 32))
    key = StorageKey(bot_id=42, chat_id=PERSON_ID, user_id=PERSON_ID)
    built = keys.build(key, "lock")
    assert str(PERSON_ID) not in built and format(PERSON_ID, "x") not in built
    assert str(PERSON_ID) in DefaultKeyBuilder().build(key, "lock")  # what aiogram's default would write
    assert built == keys.build(StorageKey(bot_id=42, chat_id=PERSON_ID, user_id=PERSON_ID), "lock")
    assert built != keys.build(StorageKey(bot_id=42, chat_id=PERSON_ID + 1, user_id=PERSON_ID + 1), "lock")
    assert built != PseudonymousKeyBuilder(Pseudonymizer(b"j" * 32)).build(key, "lock")


async def test_redis_is_never_told_a_persons_id(settings: Settings, standin: str, client: PlaygroundClient) -> None:
    from redis.asyncio import Redis

    url = redis_url_or_skip()
    seen: list[str] = []
    watcher = Redis.from_url(url, socket_timeout=120)  # MONITOR waits quietly between commands
    db = watcher.connection_pool.connection_kwargs.get("db", 0)

    async def watch() -> None:
        async with watcher.monitor() as monitor:
            async for command in monitor.listen():
                if command.get("db") == db:  # other test runs may share the server
                    seen.append(str(command.get("command", "")))

    watching = asyncio.create_task(watch())
    await asyncio.sleep(0.3)
    instance = Instance(instance_settings(settings, standin, redis_url=url), PLAYGROUND_TOKEN)
    await instance.start()
    try:
        person = Person(id=PERSON_ID)
        await client.send(person, "what is prep")
        await client.wait_for(person.id, lambda ms: any(m["from_bot"] for m in ms), seconds=20)
        await client.send(person, "/talk")
        await client.wait_for(person.id, lambda ms: len([m for m in ms if m["from_bot"]]) >= 2 or None, seconds=20)
        await asyncio.sleep(0.5)
    finally:
        await instance.stop()
        watching.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await watching
        await watcher.aclose()
    leaks = [c for c in seen if str(PERSON_ID) in c or format(PERSON_ID, "x") in c]
    assert not leaks, leaks[:3]
    assert any("vraagbaak:" in c and ":lock" in c for c in seen), "the chat lock was taken in Redis"
