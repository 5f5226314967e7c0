"""One update at a time per chat, with nothing kept per chat once its updates are done
(bot/chat_state.py); aiogram's own in-memory isolation and storage keep one entry per chat ever seen."""

from __future__ import annotations

import asyncio

import pytest
from aiogram.fsm.storage.base import StorageKey

from bot.chat_state import ChatIsolation, ChatStateInMemory


def key(chat: int) -> StorageKey:
    return StorageKey(bot_id=1, chat_id=chat, user_id=chat)


async def test_updates_of_one_chat_wait_for_each_other_and_other_chats_do_not() -> None:
    isolation = ChatIsolation()
    order: list[str] = []

    async def update(chat: int, name: str, seconds: float) -> None:
        async with isolation.lock(key(chat)):
            order.append(f"{name} starts")
            await asyncio.sleep(seconds)
            order.append(f"{name} ends")

    first = asyncio.create_task(update(1, "first", 0.1))
    await asyncio.sleep(0)
    await asyncio.gather(first, update(1, "second", 0), update(2, "other chat", 0))
    assert order.index("other chat ends") < order.index("first ends"), "another chat did not wait"
    assert order.index("second starts") > order.index("first ends"), "the same chat waited its turn"
    assert isolation.chats == 0, "nothing is kept once the chats' updates are done"


async def test_a_failed_update_gives_its_chat_back_and_leaves_nothing() -> None:
    isolation = ChatIsolation()
    with pytest.raises(RuntimeError):
        async with isolation.lock(key(1)):
            raise RuntimeError("handler failed")
    async with asyncio.timeout(1), isolation.lock(key(1)):
        pass
    assert isolation.chats == 0


async def test_reading_a_chats_state_stores_nothing_and_a_cleared_state_goes() -> None:
    storage = ChatStateInMemory()
    assert await storage.get_state(key(1)) is None
    assert await storage.get_data(key(1)) == {}
    assert await storage.get_value(key(1), "x", "default") == "default"
    assert storage.storage == {}
    await storage.set_state(key(1), "asking")
    await storage.set_data(key(1), {"x": 1})
    assert (await storage.get_state(key(1)), await storage.get_value(key(1), "x")) == ("asking", 1)
    await storage.set_state(key(1), None)
    await storage.set_data(key(1), {})
    assert storage.storage == {}



async def test_closing_at_shutdown_leaves_updates_still_running_to_finish() -> None:
    """aiogram closes the isolation at shutdown while updates may still be handled."""
    isolation = ChatIsolation()
    async with isolation.lock(key(1)):
        await isolation.close()
    assert isolation.chats == 0
