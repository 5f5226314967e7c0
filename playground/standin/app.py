"""The stand-in as one aiohttp application: Bot API, JSON test API, the web page, and the
background webhook delivery (started on startup, stopped on cleanup, which also flushes the state).
"""

from __future__ import annotations

import os
import pathlib
from collections.abc import AsyncIterator

from aiohttp import web

from playground.standin import botapi
from playground.standin.api import api_app
from playground.standin.config import Config
from playground.standin.state import STANDIN_KEY, StandinState
from playground.standin.webhook import DELIVERY_KEY, WebhookDelivery

__all__ = ["STANDIN_KEY", "create_standin_app"]

_PLAYGROUND = pathlib.Path(__file__).resolve().parent.parent
PAGE = _PLAYGROUND / "templates" / "index.html"
STATIC = _PLAYGROUND / "static"
UPLOAD_LIMIT = 50 * 1024 * 1024  # Telegram's limit for files a bot uploads


def create_standin_app(
    state_dir: pathlib.Path,
    *,
    bot_token: str,
    counsellor_chat_id: int,
    counsellor_ids: list[int],
    editor_ids: list[int],
    counsellor_chat_title: str = "Counsellors",
    limits: bool | None = None,
) -> web.Application:
    """Build the app; the caller runs it (on 127.0.0.1, with access_log=None: paths hold the token).
    `limits`: Telegram's flood limits (standin/limits.py); by default on, unless the environment says
    VRAAGBAAK_STANDIN_LIMITS=off (the speed benchmarks, and the test suite for now: see tests/conftest.py)."""
    if limits is None:
        limits = os.environ.get("VRAAGBAAK_STANDIN_LIMITS", "on") != "off"
    config = Config(
        bot_token=bot_token,
        counsellor_chat_id=counsellor_chat_id,
        counsellor_ids=list(counsellor_ids),
        editor_ids=list(editor_ids),
        counsellor_chat_title=counsellor_chat_title,
    )
    state = StandinState(pathlib.Path(state_dir), config, limits=limits)
    app = web.Application(client_max_size=UPLOAD_LIMIT)
    app[STANDIN_KEY] = state
    delivery = WebhookDelivery(state)
    app[DELIVERY_KEY] = delivery

    async def bot_api(request: web.Request) -> web.Response:
        return await botapi.handle(request, state)

    async def page(request: web.Request) -> web.FileResponse:
        return web.FileResponse(PAGE, headers={"Cache-Control": "no-store"})

    async def release_pollers(app: web.Application) -> None:
        # Waiting getUpdates calls would otherwise hold shutdown for up to 50 s.
        state.closing = True
        state.wake()
        state.announce_change()  # and the page's long polls

    async def file_download(request: web.Request) -> web.Response:
        from playground.standin.botapi_send import file_bytes

        if request.match_info["token"] != state.config.bot_token:
            raise web.HTTPUnauthorized()
        return web.Response(body=file_bytes(request.match_info["path"].rsplit("/", 1)[-1]))

    app.router.add_route("*", "/bot{token}/{method}", bot_api)
    app.router.add_get("/file/bot{token}/{path:.+}", file_download)
    app.add_subapp("/api", api_app())
    app.router.add_get("/", page)
    app.router.add_static("/static", STATIC)

    async def deliver_and_flush(app: web.Application) -> AsyncIterator[None]:
        await delivery.start()
        try:
            yield
        finally:
            state.closing = True
            await delivery.stop()
            state.flush()  # throttled saves: whatever is pending reaches the disk now

    app.on_shutdown.append(release_pollers)
    app.cleanup_ctx.append(deliver_and_flush)
    return app
