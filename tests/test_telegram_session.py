"""How the bot's calls reach the Bot API and its replies come back: aiogram's own session, its
defaults and objects intact, JSON through orjson."""

from __future__ import annotations

import json
from typing import Any

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.telegram_session import bot_api_session

SENT = {"message_id": 7, "date": 1_795_000_000, "chat": {"id": 42, "type": "private"}, "text": "hi"}


async def test_calls_carry_defaults_and_markup_and_replies_are_whole_messages() -> None:
    seen: list[dict[str, Any]] = []

    async def api(request: web.Request) -> web.Response:
        seen.append(dict(await request.post()))
        return web.json_response({"ok": True, "result": SENT})

    app = web.Application()
    app.router.add_post("/bot{token}/{method}", api)
    async with TestServer(app) as server:
        session = bot_api_session(TelegramAPIServer.from_base(str(server.make_url(""))))
        bot = Bot("42:TEST", session=session, default=DefaultBotProperties(parse_mode="HTML"))
        markup = InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text="Ja", callback_data="menu:x")]]
        )
        message = await bot.send_message(42, "<b>hallo</b> é", reply_markup=markup)
        await bot.session.close()
    assert isinstance(message, Message) and message.chat.id == 42 and message.text == "hi"
    (body,) = seen
    assert body["text"] == "<b>hallo</b> é" and body["parse_mode"] == "HTML"
    assert json.loads(body["reply_markup"]) == {
        "inline_keyboard": [[{"text": "Ja", "callback_data": "menu:x"}]]
    }
