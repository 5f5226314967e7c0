"""One update at a time per chat, with nothing kept per chat once its updates are done
(bot/chat_state.py); aiogram's own in-memory isolation keeps one lock per chat ever seen."""

from __future__ import annotations

import asyncio

import pytest
from aiogram import Bot, Dispatcher
from aiogram.fsm.storage.base import StorageKey
from aiogram.types import Message, Update

from bot.chat_state import ChatIsolation, ChatLock
from bot.config import Settings


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


async def test_closing_at_shutdown_leaves_updates_still_running_to_finish() -> None:
    """aiogram closes the isolation at shutdown while updates may still be handled."""
    isolation = ChatIsolation()
    async with isolation.lock(key(1)):
        await isolation.close()
    assert isolation.chats == 0


def _update(update_id: int, text: str, chat: int = 5) -> Update:
    return Update.model_validate({"update_id": update_id, "message": {
        "message_id": update_id, "date": 0, "text": text, "chat": {"id": chat, "type": "private"},
        "from": {"id": chat, "is_bot": False, "first_name": "A"}}})


async def test_a_chats_updates_are_handled_one_at_a_time_through_the_dispatcher() -> None:
    isolation = ChatIsolation()
    dp = Dispatcher(disable_fsm=True)
    dp.update.outer_middleware(ChatLock(isolation))
    order: list[str] = []

    async def handle(message: Message) -> None:
        order.append(f"{message.text} starts")
        await asyncio.sleep(0.05 if message.text == "first" else 0)
        order.append(f"{message.text} ends")

    dp.message.register(handle)
    bot = Bot("42:TEST")
    await asyncio.gather(dp.feed_update(bot, _update(1, "first")), dp.feed_update(bot, _update(2, "second")),
                         dp.feed_update(bot, _update(3, "other", chat=6)))
    assert order.index("second starts") > order.index("first ends")
    assert order.index("other ends") < order.index("first ends")
    assert isolation.chats == 0
    await bot.session.close()


async def test_the_bot_takes_its_chat_lock_before_its_own_middlewares(settings: Settings) -> None:
    from aiogram.dispatcher.middlewares.user_context import UserContextMiddleware

    from bot.app import build_dispatcher, build_parts
    from bot.unreadable_updates import SkipBareUpdates

    parts = await build_parts(settings)
    try:
        dp = build_dispatcher(parts)
        outer = list(dp.update.outer_middleware)
        locks = [m for m in outer if isinstance(m, ChatLock)]
        user_context = next(i for i, m in enumerate(outer) if isinstance(m, UserContextMiddleware))
        # Only the dropping of unreadable (bare) updates comes before it: they have no chat to lock.
        between = outer[user_context + 1 : outer.index(locks[0])]
        assert len(locks) == 1 and [type(m) for m in between] == [SkipBareUpdates]
        assert isinstance(locks[0].isolation, ChatIsolation)
    finally:
        await parts.close()


async def test_with_tuning_off_the_dispatcher_is_built_without_admission(settings: Settings) -> None:
    from bot.admission import Admission
    from bot.app import build_dispatcher, build_parts

    parts = await build_parts(settings.model_copy(update={"tuning": False}))
    try:
        tuned_off = list(build_dispatcher(parts).update.outer_middleware)
        assert not [m for m in tuned_off if isinstance(m, Admission)]
        assert [m for m in tuned_off if isinstance(m, ChatLock)], "the per-chat lock is not a tweak: it stays"
        parts.settings = settings
        assert [m for m in build_dispatcher(parts).update.outer_middleware if isinstance(m, Admission)]
    finally:
        await parts.close()
