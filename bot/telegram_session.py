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


def _dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


class BotApiSession(AiohttpSession):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(json_loads=orjson.loads, json_dumps=_dumps, **kwargs)

    def check_response(
        self, bot: Bot, method: TelegramMethod[TelegramType], status_code: int, content: str
    ) -> Response[TelegramType]:
        returning = method.__returning__
        if returning not in _RESPONSE_TYPES:
            _RESPONSE_TYPES[returning] = Response[returning]  # type: ignore[valid-type]
        return super().check_response(bot, method, status_code, content)
