"""Which calls ride on a webhook answer: only a delivery's first press answer, and only while the
delivery is being handled; everything else is called as usual."""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
from aiogram import Bot
from aiogram.methods import AnswerCallbackQuery, SendMessage, TelegramMethod

from bot.app import build_bot
from bot.config import Settings
from bot.webhook_reply import AnswerPressInWebhookReply, answer_body, held_for_the_answer
from playground.runner import PLAYGROUND_TOKEN


class Calls:
    def __init__(self) -> None:
        self.made: list[str] = []

    async def __call__(self, bot: Bot, method: TelegramMethod[Any]) -> Any:
        self.made.append(type(method).__name__)
        return "called"


async def test_only_the_first_press_answer_of_a_delivery_is_held() -> None:
    middleware, calls = AnswerPressInWebhookReply(), Calls()
    bot = Bot(PLAYGROUND_TOKEN)
    first, second = AnswerCallbackQuery(callback_query_id="1"), AnswerCallbackQuery(callback_query_id="2")
    outside_before = await middleware(calls, bot, first)  # polling, or no delivery at all
    with held_for_the_answer() as held:
        assert await middleware(calls, bot, first) is True
        assert await middleware(calls, bot, second) == "called"
        assert await middleware(calls, bot, SendMessage(chat_id=1, text="hoi")) == "called"
    assert await middleware(calls, bot, AnswerCallbackQuery(callback_query_id="3")) == "called"
    assert held.method is first and not held.open
    assert outside_before == "called"
    assert calls.made == ["AnswerCallbackQuery", "AnswerCallbackQuery", "SendMessage", "AnswerCallbackQuery"]
    await bot.session.close()


async def test_a_task_still_running_after_the_answer_calls_for_itself() -> None:
    middleware, calls = AnswerPressInWebhookReply(), Calls()
    bot = Bot(PLAYGROUND_TOKEN)
    go = asyncio.Event()

    async def later() -> Any:
        await go.wait()
        return await middleware(calls, bot, AnswerCallbackQuery(callback_query_id="9"))

    with held_for_the_answer() as held:
        task = asyncio.create_task(later())  # inherits the delivery's context
    go.set()
    assert await task == "called" and held.method is None
    await bot.session.close()


async def test_the_answer_body_is_the_call_as_the_bot_would_send_it(settings: Settings) -> None:
    bot = build_bot(settings, PLAYGROUND_TOKEN)
    body = orjson.loads(answer_body(bot, AnswerCallbackQuery(callback_query_id="42", text="Dank", show_alert=True)))
    assert body == {"method": "answerCallbackQuery", "callback_query_id": "42", "text": "Dank", "show_alert": True}
    await bot.session.close()
