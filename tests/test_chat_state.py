"""One update at a time per chat, with nothing kept per chat once its updates are done
(bot/chat_state.py); aiogram's own in-memory isolation and storage keep one entry per chat ever seen."""

from __future__ import annotations

import asyncio

import pytest
from aiogram import Bot, Dispatcher
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.storage.base import StorageKey
from aiogram.types import Message, Update

from bot.chat_state import ChatIsolation, ChatStateInMemory, StateReadWhenAsked, use_lazy_state
from bot.config import Settings
from flows import get_routers


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


class CountingStorage(ChatStateInMemory):
    def __init__(self) -> None:
        super().__init__()
        self.reads = 0

    async def get_state(self, key: StorageKey) -> str | None:
        self.reads += 1
        return await super().get_state(key)


def _update(update_id: int, text: str) -> Update:
    return Update.model_validate({"update_id": update_id, "message": {
        "message_id": update_id, "date": 0, "text": text, "chat": {"id": 5, "type": "private"},
        "from": {"id": 5, "is_bot": False, "first_name": "A"}}})


async def test_the_fsm_state_is_read_only_when_a_handler_asks_and_the_chat_is_still_locked() -> None:
    storage, isolation = CountingStorage(), ChatIsolation()
    dp = Dispatcher(storage=storage, events_isolation=isolation, disable_fsm=True)
    use_lazy_state(dp)
    seen: list[object] = []

    async def remember(message: Message, state: FSMContext) -> None:
        seen.append(isolation.chats)  # this chat's lock is held while the handler runs
        if message.text == "ask":
            await state.set_state("asking")
        elif message.text == "read":
            seen.append(await state.get_state())

    dp.message.register(remember)
    bot = Bot("42:TEST")
    await dp.feed_update(bot, _update(1, "hello"))
    assert storage.reads == 0, "aiogram's middleware would have read the state for this update"
    await dp.feed_update(bot, _update(2, "ask"))
    await dp.feed_update(bot, _update(3, "read"))
    assert seen == [1, 1, 1, "asking"] and storage.reads == 1
    assert isolation.chats == 0
    await bot.session.close()


def test_no_handler_filters_on_an_fsm_state() -> None:
    """StateReadWhenAsked gives no `raw_state`: a StateFilter would see no state at all."""
    users = []
    for router in get_routers():
        for observer in router.observers.values():
            for handler in [observer._handler, *observer.handlers]:
                for flt in handler.filters or []:
                    if isinstance(flt.callback, StateFilter) or "raw_state" in flt.params:
                        users.append((router.name, flt.callback))
                if "raw_state" in handler.params:
                    users.append((router.name, handler.callback))
    assert users == []


async def test_the_bot_takes_its_chat_lock_where_aiograms_fsm_middleware_would(settings: Settings) -> None:
    from aiogram.dispatcher.middlewares.user_context import UserContextMiddleware
    from aiogram.fsm.middleware import FSMContextMiddleware

    from bot.app import build_dispatcher, build_parts

    parts = await build_parts(settings)
    try:
        dp = build_dispatcher(parts)
        outer = list(dp.update.outer_middleware)
        fsm = [m for m in outer if isinstance(m, FSMContextMiddleware)]
        assert len(fsm) == 1 and isinstance(fsm[0], StateReadWhenAsked) and dp.fsm is fsm[0]
        user_context = next(i for i, m in enumerate(outer) if isinstance(m, UserContextMiddleware))
        assert outer.index(fsm[0]) == user_context + 1, "the lock comes first, before our own middlewares"
        assert isinstance(fsm[0].events_isolation, ChatIsolation)
    finally:
        await parts.close()
