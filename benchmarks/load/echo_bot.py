"""The reference: a bare aiogram echo bot behind the same stand-in and webhook, doing the least a bot
can do per update (echo text, answer button presses). Our throughput is reported against it.

    python -m benchmarks.load.echo_bot API_URL PORT TOKEN

It imports nothing of ours (importing `bot` would change how aiogram builds its models), so it is
stock aiogram as a newcomer would run it.
"""

from __future__ import annotations

import asyncio
import sys

from aiogram import Bot, Dispatcher, F
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import CallbackQuery, Message
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

SECRET = "echo-benchmark-secret-0123456789"


async def main() -> None:
    api_url, port, token = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    bot = Bot(token, session=AiohttpSession(api=TelegramAPIServer.from_base(api_url)))
    dp = Dispatcher()

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
