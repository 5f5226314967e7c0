"""How the bot's calls reach the Bot API: one JSON body, with aiogram's defaults and objects intact."""

from __future__ import annotations

from typing import Any

import orjson
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import BufferedInputFile, InlineKeyboardButton, InlineKeyboardMarkup
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.telegram_session import BotApiSession

SENT = {"message_id": 7, "date": 1_795_000_000, "chat": {"id": 42, "type": "private"}, "text": "hi"}


async def test_calls_go_as_json_with_defaults_and_markup_and_uploads_as_forms() -> None:
    seen: list[tuple[str, Any]] = []

    async def api(request: web.Request) -> web.Response:
        if request.content_type == "application/json":
            seen.append((request.content_type, await request.json()))
        else:
            seen.append((request.content_type, dict(await request.post())))
        return web.json_response({"ok": True, "result": SENT})

    app = web.Application()
    app.router.add_post("/bot{token}/{method}", api)
    async with TestServer(app) as server:
        session = BotApiSession(api=TelegramAPIServer.from_base(str(server.make_url(""))))
        bot = Bot("42:TEST", session=session, default=DefaultBotProperties(parse_mode="HTML"))
        markup = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="Ja", callback_data="menu:x")]])
        message = await bot.send_message(42, "<b>hallo</b> é", reply_markup=markup, disable_notification=False)
        await bot.send_document(42, BufferedInputFile(b"content", filename="a.txt"))
        await bot.session.close()
    assert message.message_id == 7
    (kind, body), (upload_kind, _) = seen
    assert kind == "application/json"
    assert body == {"chat_id": 42, "text": "<b>hallo</b> é", "parse_mode": "HTML", "disable_notification": False,
                    "reply_markup": {"inline_keyboard": [[{"text": "Ja", "callback_data": "menu:x"}]]}}
    assert upload_kind == "multipart/form-data"


async def test_a_reused_keyboard_is_sent_exactly_as_aiogram_would_and_prepared_once() -> None:
    """Every keyboard the menus build (flows/keyboards.py marks them reused), in every language,
    goes out as aiogram's own preparation of the call would send it."""
    from aiogram.methods import EditMessageText, SendMessage

    from bot import telegram_session
    from bot.i18n import create_i18n
    from flows import keyboards

    session = BotApiSession()
    bot = Bot("42:TEST", session=session, default=DefaultBotProperties(parse_mode="HTML"))
    i18n = create_i18n("en")
    builders = [keyboards.main_menu, keyboards.language_picker]
    checked = 0
    for locale in ("en", "nl", "fr", "ar"):
        with i18n.context(), i18n.use_locale(locale):
            for build in builders:
                markup = build()
                assert build() is markup and id(markup) in telegram_session._REUSED_KEYBOARDS
                for method in (SendMessage(chat_id=42, text="<b>menu</b>", reply_markup=markup),
                               EditMessageText(chat_id=42, message_id=3, text="menu", reply_markup=markup)):
                    expected = session.prepare_value(method.model_dump(warnings=False), bot=bot, files={},
                                                     _dumps_json=False)
                    for _ in range(2):  # the first call prepares the keyboard, the second reuses it
                        sent = orjson.loads(session.build_form_data(bot, method)._value)
                        assert sent == expected
                        checked += 1
                assert telegram_session._REUSED_KEYBOARDS[id(markup)][1] == expected["reply_markup"]
    assert checked == 32
    await session.close()
