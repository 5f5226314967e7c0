"""The bot's web application: webhook (when PUBLIC_URL is set), /admin, /healthz, /readyz, /metrics."""

from __future__ import annotations

from aiogram import Bot, Dispatcher
from aiohttp import web

from bot.health import setup_health
from bot.parts import AppParts
from bot.webhook import MAX_BODY, webhook_handler

WEBHOOK_PATH = "/telegram/webhook"


def build_web_app(parts: AppParts, bot: Bot, dp: Dispatcher, *, webhook: bool) -> web.Application:
    from web.admin import setup_admin

    # The editors' import form takes zip files; the webhook checks its own, smaller limit.
    app = web.Application(client_max_size=max(MAX_BODY, 16 << 20))
    if webhook:
        app.router.add_post(WEBHOOK_PATH, webhook_handler(bot, dp, parts.webhook_secret()))
    setup_health(app, parts)
    setup_admin(app, parts)
    return app
