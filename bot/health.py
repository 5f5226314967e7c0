"""/healthz (the process answers), /readyz (database and Redis reachable), /metrics."""

from __future__ import annotations

import asyncio
import hmac
import logging

from aiohttp import web
from sqlalchemy import text

from bot.metrics import HANDOFFS_CLAIMED, HANDOFFS_WAITING, exposition
from bot.parts import AppParts
from storage import conversations

log = logging.getLogger(__name__)
CHECK_TIMEOUT = 2.0


async def _database_ok(parts: AppParts) -> bool:
    try:
        async with asyncio.timeout(CHECK_TIMEOUT), parts.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        return True
    except Exception as exc:  # any failure means not ready
        log.warning("readyz: database unreachable: %s", type(exc).__name__)
        return False


async def _redis_ok(parts: AppParts) -> bool:
    if parts.redis is None:
        return True
    try:
        async with asyncio.timeout(CHECK_TIMEOUT):
            await parts.redis.ping()
        return True
    except Exception as exc:
        log.warning("readyz: redis unreachable: %s", type(exc).__name__)
        return False


def setup_health(app: web.Application, parts: AppParts) -> None:
    async def healthz(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def readyz(request: web.Request) -> web.Response:
        database, redis = await asyncio.gather(_database_ok(parts), _redis_ok(parts))
        status = 200 if database and redis else 503
        return web.json_response({"database": database, "redis": redis}, status=status)

    async def metrics(request: web.Request) -> web.Response:
        # Counts only, but not for anyone who reaches the port: they show when people write.
        token = parts.settings.metrics_token
        given = request.headers.get("Authorization", "")
        if token is None or not hmac.compare_digest(given.encode(), f"Bearer {token.get_secret_value()}".encode()):
            return web.Response(status=401 if token is not None else 404)
        try:
            async with parts.sessions() as session:
                from handoff.desk import now_utc

                view = await conversations.overview(session, now_utc())
            HANDOFFS_WAITING.set(view.waiting)
            HANDOFFS_CLAIMED.set(view.claimed)
        except Exception as exc:  # metrics still answer when the database does not
            log.warning("metrics: queue figures unavailable: %s", type(exc).__name__)
        return web.Response(body=exposition(), content_type="text/plain", charset="utf-8")

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics)
