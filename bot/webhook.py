"""The webhook endpoint. An update is acknowledged (200) only once it is handled; if handling
cannot finish (the database or Redis is down), the answer is 503 and Telegram delivers it again.
Handling is idempotent by update_id (see bot/middlewares.py), so a redelivery never doubles a relay.
Bad requests are refused and logged without their content."""

from __future__ import annotations

import hmac
import logging

import orjson
from aiogram import Bot, Dispatcher
from aiohttp import web

from bot.unreadable_updates import read_update
from flows.errors import InfrastructureDown
from storage.outages import is_infrastructure_error

__all__ = ["InfrastructureDown", "is_infrastructure_error", "webhook_handler"]

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1 << 20  # Telegram updates are far smaller; anything bigger is not from Telegram


async def _read_body(request: web.Request) -> bytes | None:
    """The whole body, however many pieces it arrives in (a proxy may stream it: one read returns
    only what has arrived so far); None when it is larger than MAX_BODY."""
    chunks: list[bytes] = []
    size = 0
    while chunk := await request.content.read(MAX_BODY + 1 - size):
        chunks.append(chunk)
        size += len(chunk)
        if size > MAX_BODY:
            return None
    return b"".join(chunks)


def webhook_handler(bot: Bot, dp: Dispatcher, secret: str) -> web.Handler:
    async def handle(request: web.Request) -> web.StreamResponse:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            log.warning("webhook: refused a request with a missing or wrong secret")
            return web.Response(status=401)
        if request.content_length is not None and request.content_length > MAX_BODY:
            log.warning("webhook: refused an oversized request")
            return web.Response(status=413)
        try:
            body = await _read_body(request)
            if body is None:
                log.warning("webhook: refused an oversized request")
                return web.Response(status=413)
            update = read_update(orjson.loads(body), bot)
        except ValueError:
            update = None
        if update is None:
            log.warning("webhook: refused a malformed update")
            return web.Response(status=400)
        # An update aiogram cannot read arrives bare (logged without content) and is acknowledged like
        # any other: answered 400, Telegram would deliver it again for ever.
        try:
            await dp.feed_update(bot, update)
        except Exception as exc:
            if not (isinstance(exc, InfrastructureDown) or is_infrastructure_error(exc)):
                raise
            log.error("webhook: update not handled, Telegram will retry: %s", type(exc).__name__)
            return web.Response(status=503)
        return web.Response(status=200)

    return handle
