"""A button press is answered in the webhook's own answer, not in a call of its own.

Telegram lets a bot make one Bot API call in its HTTP answer to a webhook delivery ("making requests
when getting updates"). Every press must be answered (answerCallbackQuery; until then the person
sees a spinner), and that answer is the one call whose result the bot never needs -- Telegram does
not say whether a call in a webhook answer worked. So while an update is handled by webhook, its
first answerCallbackQuery is kept (`held_for_the_answer`) and sent back with the acknowledgement:
one HTTP round trip less for a third of all updates. Every other call, and any call made outside a
delivery (polling, tasks still running after the acknowledgement), is made as usual.

If handling fails, the webhook answers 5xx without it; Telegram delivers the update again and the
handler answers the press again.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

import orjson
from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.methods import AnswerCallbackQuery, TelegramMethod
from aiogram.methods.base import Response, TelegramType

from bot.telegram_session import BotApiSession


class HeldCall:
    """The call kept for one delivery's answer; closed once the answer is being written."""

    __slots__ = ("method", "open")

    def __init__(self) -> None:
        self.method: AnswerCallbackQuery | None = None
        self.open = True


_HELD: ContextVar[HeldCall | None] = ContextVar("vraagbaak_webhook_answer", default=None)


@contextlib.contextmanager
def held_for_the_answer() -> Iterator[HeldCall]:
    """Around the handling of one webhook delivery."""
    held = HeldCall()
    token = _HELD.set(held)
    try:
        yield held
    finally:
        held.open = False  # a task the update started, still running, now calls for itself
        _HELD.reset(token)


class AnswerPressInWebhookReply(BaseRequestMiddleware):
    """The Bot session's outermost middleware: holds a delivery's first answerCallbackQuery."""

    async def __call__(self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot,
                       method: TelegramMethod[TelegramType]) -> Response[TelegramType]:
        if isinstance(method, AnswerCallbackQuery):
            held = _HELD.get()
            if held is not None and held.open and held.method is None:
                held.method = method
                return True  # type: ignore[return-value]  # what Telegram answers; aiogram passes it on
        return await make_request(bot, method)


def answer_body(bot: Bot, method: TelegramMethod[Any]) -> bytes:
    """The call as a webhook answer's JSON body, with the parameters the call itself would send."""
    assert isinstance(bot.session, BotApiSession)
    return orjson.dumps({"method": method.__api_method__, **bot.session.call_fields(bot, method, files={})})
