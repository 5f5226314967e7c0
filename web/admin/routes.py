"""The editors' pages under /admin, put together: sign-in and the guard first, then each page."""

from __future__ import annotations

from aiohttp import web

from bot.parts import AppParts
from web.admin import auth, views_edit, views_files, views_report, views_topics, views_unanswered
from web.admin.render import STATIC, TIMEZONE_KEY, redirect


def register(app: web.Application, parts: AppParts) -> None:
    app[TIMEZONE_KEY] = parts.settings.timezone
    auth.setup(app, parts)  # the middleware that checks the session and CSRF on every /admin request
    views_topics.setup(app, parts)
    views_edit.setup(app, parts)
    views_unanswered.setup(app, parts)
    views_report.setup(app, parts)
    views_files.setup(app, parts)

    async def slash(request: web.Request) -> web.Response:
        return redirect("/admin")

    app.router.add_get("/admin/", slash)
    app.router.add_static("/admin/static", STATIC)
