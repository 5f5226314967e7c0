"""The editors' pages under /admin (sign-in through the bot, topics, edit, unanswered, report)."""

from __future__ import annotations

from aiohttp import web

from bot.parts import AppParts


def setup_admin(app: web.Application, parts: AppParts) -> None:
    """Register the /admin routes on `app` (the playground's or the production web app)."""
    from web.admin.routes import register

    register(app, parts)
