"""Routing stays on the event loop and walks one router: aiogram runs any plain (non-async) filter or handler -- a magic
filter `F...` included -- in a worker thread, a thread hop per check on every update."""

from __future__ import annotations

import pytest
from aiogram import Bot, Dispatcher, Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackQueryFilter
from aiogram.types import CallbackQuery, Message, Update, User

from bot.routing import GatedHandler, merge_routers
from flows import get_routers
from flows.filters import PRIVATE_CHAT, Inline


def _private_text(text: str) -> Update:
    return Update.model_validate({"update_id": 1, "message": {
        "message_id": 1, "date": 0, "text": text, "chat": {"id": 5, "type": "private"}}})


def _dispatching(*routers: Router) -> Dispatcher:
    """A dispatcher with the given routers merged, as the bot has them."""
    dp = Dispatcher()
    dp.include_router(merge_routers(routers))
    return dp


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


def _events(bot: Bot) -> list[object]:
    """Messages and presses of every shape the gates have to judge, in private chats and groups."""
    def message(chat_type: str = "private", **fields: object) -> Message:
        chat_id = 5 if chat_type == "private" else -1005
        return Message.model_validate({"message_id": 1, "date": 0, "chat": {"id": chat_id, "type": chat_type},
                                       "from": {"id": 5, "is_bot": False, "first_name": "A"}, **fields},
                                      context={"bot": bot})

    texts = ["/start", "/start abc", "  /help", "/talk@vraagbaak_bot", "hello", "", " ", "/", "help /talk",
             "\u00a0/end", "!start"]
    events: list[object] = [message(text=t) for t in texts if t] + [message("supergroup", text=t) for t in texts if t]
    events += [message(caption="/talk", photo=[{"file_id": "f", "file_unique_id": "u", "width": 1, "height": 1}]),
               message(sticker={"file_id": "s", "file_unique_id": "u", "width": 1, "height": 1,
                                "is_animated": False, "is_video": False, "type": "regular"})]
    for data in ["menu:health:", "menu", "lang:nl", "claim:12", "talk:crisis", "rate:1", "x" * 64, "menu:a:b:c",
                 "svc:ghapro", "back", ""]:
        for chat_type in ("private", "supergroup"):
            events.append(CallbackQuery.model_validate({
                "id": "1", "chat_instance": "c", "from": {"id": 5, "is_bot": False, "first_name": "A"},
                "data": data or None,
                "message": {"message_id": 1, "date": 0, "chat": {"id": 5 if chat_type == "private" else -1005,
                                                                  "type": chat_type}}}, context={"bot": bot}))
    return events


async def test_a_gate_says_no_only_where_its_filter_would() -> None:
    bot = Bot("42:TEST")
    bot._me = User(id=42, is_bot=True, first_name="Vraagbaak", username="vraagbaak_bot")  # for /talk@mentions
    merged = merge_routers(get_routers())
    checked = refused = 0
    for observer in merged.observers.values():
        for handler in observer.handlers:
            assert isinstance(handler, GatedHandler)
            gated = [f for f in handler.filters or [] if isinstance(f.callback, (Command, CallbackQueryFilter, Inline))]
            assert len(handler.gates) == len(gated), handler.callback
            for flt, gate in zip(gated, handler.gates, strict=True):
                for event in _events(bot):
                    if isinstance(event, Message) != (observer.event_name == "message"):
                        continue
                    said, passed = await flt.call(event, bot=bot), gate(event)
                    where = (handler.callback.__name__, flt.callback, event)
                    if isinstance(flt.callback, Inline):  # the gate replaces the filter
                        assert bool(passed) == bool(said), where
                    elif not passed:  # the gate comes before the filter: it may only say no where it would
                        assert not said, where
                        refused += 1
                    checked += 1
    assert checked > 500 and refused > 200
    await bot.session.close()


async def test_free_text_is_not_parsed_by_every_command_filter(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[str] = []
    original = Command.parse_command

    async def counting(self: Command, text: str, bot: Bot) -> object:
        parsed.append(text)
        return await original(self, text=text, bot=bot)

    monkeypatch.setattr(Command, "parse_command", counting)
    commands = Router(name="commands")

    async def on_help(message: Message) -> str:
        return "help"

    async def on_text(message: Message) -> str:
        return "text"

    for name in ("start", "help", "talk", "end"):
        commands.message.register(on_help, Command(name))
    commands.message.register(on_text)
    dp = _dispatching(commands)
    bot = Bot("42:TEST")

    assert await dp.feed_update(bot, _private_text("where can i get tested")) == "text"
    assert parsed == []
    assert await dp.feed_update(bot, _private_text("/help")) == "help"
    assert parsed == ["/help", "/help"]  # /start said no, /help said yes
    await bot.session.close()


async def test_the_merged_walk_asks_the_gates_first_and_passes_on_what_they_give(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from aiogram import F
    from aiogram.dispatcher.event.bases import SkipHandler

    checked: list[str] = []
    awaited_whole: list[str] = []  # aiogram's walk awaits every handler's whole check
    original_rest, original_check = GatedHandler.check_rest, GatedHandler.check

    async def counting(self: GatedHandler, *args: object, **kwargs: object) -> object:
        checked.append(self.callback.__name__)
        return await original_rest(self, *args, **kwargs)

    async def whole(self: GatedHandler, *args: object, **kwargs: object) -> object:
        awaited_whole.append(self.callback.__name__)
        return await original_check(self, *args, **kwargs)

    monkeypatch.setattr(GatedHandler, "check_rest", counting)
    monkeypatch.setattr(GatedHandler, "check", whole)
    router = Router(name="gated")

    async def on_help(message: Message) -> str:
        return "help"

    async def skips(message: Message) -> str:
        raise SkipHandler

    async def on_text(message: Message, word: str) -> str:
        return f"text {word}"

    router.message.register(on_help, Command("help"))
    router.message.register(skips, Inline(F.text))
    router.message.register(on_text, Inline(F.text.as_("word")))
    dp = _dispatching(router)
    bot = Bot("42:TEST")

    # /help's gate says no without a check; the handler that skips passes it on; the magic filter's
    # `as_` reaches the last handler as its argument.
    assert await dp.feed_update(bot, _private_text("hello")) == "text hello"
    assert checked == ["skips", "on_text"]
    checked.clear()
    assert await dp.feed_update(bot, _private_text("/help")) == "help"
    assert checked == ["on_help"]
    assert awaited_whole == []
    await bot.session.close()
