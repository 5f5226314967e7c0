"""Routing stays on the event loop and walks one router: aiogram runs any plain (non-async) filter or handler -- a magic
filter `F...` included -- in a worker thread, a thread hop per check on every update."""

from __future__ import annotations

import pytest
from aiogram import Bot, Dispatcher, Router
from aiogram.types import Message, Update

from bot.routing import merge_routers
from flows import get_routers
from flows.filters import PRIVATE_CHAT


def test_every_filter_and_handler_is_async() -> None:
    in_threads = []
    for router in get_routers():
        for name, observer in router.observers.items():
            for flt in observer._handler.filters or []:
                if not flt.awaitable:
                    in_threads.append(f"{router.name} {name} router filter {flt.callback!r}")
            for handler in observer.handlers:
                if not handler.awaitable:
                    in_threads.append(f"{router.name} {name} handler {handler.callback!r}")
                for flt in handler.filters or []:
                    if not flt.awaitable:
                        in_threads.append(f"{router.name} {name} {handler.callback.__name__} {flt.callback!r}")
    assert in_threads == []


def test_the_merged_router_keeps_every_handler_in_order_behind_its_routers_filters() -> None:
    routers = get_routers()
    merged = merge_routers(routers)
    for event_name, observer in merged.observers.items():
        expected = [
            ([f.callback for f in r.observers[event_name]._handler.filters or []]
             + [f.callback for f in h.filters or []], h.callback)
            for r in routers for h in r.observers[event_name].handlers]
        got = [([f.callback for f in h.filters or []], h.callback) for h in observer.handlers]
        assert got == expected, event_name


async def test_a_routers_filters_still_decide_for_its_handlers_once_merged() -> None:
    private_only, anyone = Router(name="private"), Router(name="anyone")
    private_only.message.filter(PRIVATE_CHAT)

    async def in_private(message: Message) -> str:
        return "private handler"

    async def anywhere(message: Message) -> str:
        return "fallback handler"

    private_only.message.register(in_private)
    anyone.message.register(anywhere)
    dp = Dispatcher()
    dp.include_router(merge_routers([private_only, anyone]))
    bot = Bot("42:TEST")

    def update(chat_type: str) -> Update:
        return Update.model_validate({"update_id": 1, "message": {
            "message_id": 1, "date": 0, "text": "hi", "chat": {"id": -5 if chat_type != "private" else 5,
                                                              "type": chat_type}}})

    assert await dp.feed_update(bot, update("private")) == "private handler"
    assert await dp.feed_update(bot, update("group")) == "fallback handler"
    await bot.session.close()


def test_routers_with_their_own_middlewares_are_refused() -> None:
    router = Router(name="with-middleware")

    async def passthrough(handler, event, data):  # type: ignore[no-untyped-def]
        return await handler(event, data)

    router.message.outer_middleware(passthrough)
    with pytest.raises(ValueError, match="with-middleware"):
        merge_routers([router])
