"""The HTTP session the bot talks to the Bot API with: aiogram's own, with two costs taken out.

aiogram parses every reply as `Response[T]` (T = what the method returns). pydantic keeps such
parametrised classes only in a weak cache, so after a garbage collection each is built again from
scratch — milliseconds of schema building on a call that otherwise takes a fraction of one. Holding
them here makes that a dictionary lookup. JSON goes through orjson, which is several times faster
than the standard library for the bodies the bot sends and receives on every update.
"""

from __future__ import annotations

from typing import Any

import orjson
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.methods import TelegramMethod
from aiogram.methods.base import Response, TelegramType

# One class per return type (a few dozen at most), alive as long as the process.
_RESPONSE_TYPES: dict[Any, Any] = {}


def _response_type(returning: Any) -> Any:
    if returning not in _RESPONSE_TYPES:
        _RESPONSE_TYPES[returning] = Response[returning]
    return _RESPONSE_TYPES[returning]


def _dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


# What the bot sends, receives and builds, prepared at start-up (see `prepare`).
_USED_METHODS = (
    "SendMessage", "EditMessageText", "EditMessageReplyMarkup", "AnswerCallbackQuery", "CopyMessage",
    "DeleteMessages", "CreateForumTopic", "EditForumTopic", "CloseForumTopic", "ReopenForumTopic",
    "GetChatMember", "SetMyCommands", "SetWebhook", "DeleteWebhook", "GetMe",  # GetUpdates: built by polling
)
_USED_TYPES = ("Update", "InlineKeyboardMarkup", "InlineKeyboardButton", "BotCommand", "LinkPreviewOptions")


class BotApiSession(AiohttpSession):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(json_loads=orjson.loads, json_dumps=_dumps, **kwargs)

    @staticmethod
    def prepare() -> None:
        """Build, once at start-up, the models the bot uses (aiogram's are built on first use, see
        bot/lazy_telegram_types.py), so the first person to press a button does not wait for it."""
        from aiogram import methods, types

        for name in _USED_METHODS:
            method = getattr(methods, name)
            method.model_rebuild()
            _response_type(method.__returning__).model_rebuild()
        for name in _USED_TYPES:
            getattr(types, name).model_rebuild()

    def check_response(
        self, bot: Bot, method: TelegramMethod[TelegramType], status_code: int, content: str
    ) -> Response[TelegramType]:
        _response_type(method.__returning__)  # aiogram makes `Response[T]` again; this one keeps it alive
        return super().check_response(bot, method, status_code, content)
