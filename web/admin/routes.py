"""Placeholder until the editors' pages land: /admin answers that it is not ready."""

from __future__ import annotations

from aiohttp import web

from bot.app import AppParts


def register(app: web.Application, parts: AppParts) -> None:
    async def not_yet(request: web.Request) -> web.Response:
        return web.Response(status=503, text="The editors' pages are being built.")

    app.router.add_get("/admin", not_yet)
