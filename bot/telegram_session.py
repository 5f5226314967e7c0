"""The HTTP session the bot talks to the Bot API with: aiogram's own, reading and writing JSON with
orjson (several times faster than the standard library on every update's bodies), through the
session's own `json_loads`/`json_dumps` arguments."""

from __future__ import annotations

from typing import Any

import orjson
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer


def _dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


def bot_api_session(api: TelegramAPIServer) -> AiohttpSession:
    return AiohttpSession(api=api, json_loads=orjson.loads, json_dumps=_dumps)
