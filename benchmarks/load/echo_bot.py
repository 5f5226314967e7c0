"""The reference: a bare aiogram echo bot behind the same stand-in and webhook, doing the least a bot
can do per update (echo text, answer button presses). Our throughput is reported against it.

    python -m benchmarks.load.echo_bot API_URL PORT TOKEN

It imports nothing of ours (importing `bot` would change how aiogram builds its models), so it is
stock aiogram as a newcomer would run it, plus one thing any production bot has: its handling time,
timed over the same span as ours (an outer middleware on updates) and shown at `/metrics` under our
histogram's name and buckets, so the benchmark reads both the same way.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import Bot, Dispatcher, F
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import CallbackQuery, Message, TelegramObject
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web
from prometheus_client import CollectorRegistry, Histogram, generate_latest

SECRET = "echo-benchmark-secret-0123456789"
REGISTRY = CollectorRegistry()
UPDATE_SECONDS = Histogram("vraagbaak_update_seconds", "Time to handle one update", registry=REGISTRY,
                           buckets=(0.001, 0.002, 0.003, 0.004, 0.005, 0.0075, 0.01, 0.0125, 0.015, 0.02, 0.025,
                                    0.03, 0.04, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 2.5, 5))


async def timed(handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]], event: TelegramObject,
                data: dict[str, Any]) -> Any:
    start = time.perf_counter()
    try:
        return await handler(event, data)
    finally:
        UPDATE_SECONDS.observe(time.perf_counter() - start)


async def metrics(_: web.Request) -> web.Response:
    return web.Response(body=generate_latest(REGISTRY), content_type="text/plain")


async def main() -> None:
    api_url, port, token = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    bot = Bot(token, session=AiohttpSession(api=TelegramAPIServer.from_base(api_url)))
    dp = Dispatcher()
    dp.update.outer_middleware(timed)

    @dp.message(F.text)
    async def echo(message: Message) -> None:
        await message.answer(message.text or "")

    @dp.message()
    async def other(message: Message) -> None:
        await message.answer("?")

    @dp.callback_query()
    async def press(query: CallbackQuery) -> None:
        await query.answer()

    app = web.Application()
    app.router.add_get("/metrics", metrics)
    # Acknowledge after handling, as our bot does, so the two are measured alike.
    SimpleRequestHandler(dp, bot, secret_token=SECRET, handle_in_background=False).register(
        app, path="/telegram/webhook")
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    await bot.set_webhook(f"http://127.0.0.1:{port}/telegram/webhook", secret_token=SECRET)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
