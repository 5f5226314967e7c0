"""Run the bot: long polling by default; with PUBLIC_URL, a webhook with a secret token. Either way
the web server answers /healthz, /readyz, /metrics and serves /admin."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import signal

from aiogram import Bot, Dispatcher
from aiohttp import web

from bot.app import AppParts, build_bot, build_dispatcher, build_parts
from bot.commands import register_commands
from bot.config import Settings
from bot.process_tuning import tune_collector
from bot.redis_notify import listen_for_changes
from bot.server import WEBHOOK_PATH, build_web_app
from handoff.desk import Desk
from handoff.purge import Retention, purge_forever
from knowledge.sync import refresh_forever

log = logging.getLogger(__name__)
KNOWLEDGE_REFRESH_SECONDS = 2.0  # how soon another instance's edit reaches this one


def background_tasks(parts: AppParts, bot: Bot, dp: Dispatcher) -> list[asyncio.Task[None]]:
    """The scheduled purge and the knowledge-base refresh, kept so they can be stopped."""
    settings = parts.settings
    desk: Desk = dp["desk"]
    tasks = [
        asyncio.create_task(purge_forever(parts.sessions, settings.purge_interval_seconds,
                                          Retention.from_settings(settings),
                                          delete_topic=functools.partial(desk.delete_topic, bot), engine=parts.engine)),
        asyncio.create_task(refresh_forever(parts.kb, parts.sessions, KNOWLEDGE_REFRESH_SECONDS)),
    ]
    if parts.redis is not None:
        tasks.append(asyncio.create_task(listen_for_changes(parts.redis, parts.kb, parts.sessions)))
    return tasks


async def stop_tasks(tasks: list[asyncio.Task[None]]) -> None:
    for task in tasks:
        task.cancel()
    for task in tasks:
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def start_polling(bot: Bot, dp: Dispatcher, parts: AppParts, *, handle_signals: bool = True) -> None:
    await register_commands(bot, parts.i18n, parts.settings.counsellor_chat_id)
    await bot.delete_webhook(drop_pending_updates=False)
    tasks = background_tasks(parts, bot, dp)
    try:
        await dp.start_polling(bot, allowed_updates=dp.resolve_used_update_types(), handle_signals=handle_signals)
    finally:
        await stop_tasks(tasks)


class Instance:
    """One running bot process: its parts, Telegram client, dispatcher and web server."""

    def __init__(self, settings: Settings, token: str) -> None:
        self.settings = settings
        self.token = token
        self.webhook = bool(settings.public_url)
        self.parts: AppParts | None = None
        self.bot: Bot | None = None
        self.dp: Dispatcher | None = None
        self.runner: web.AppRunner | None = None
        self.tasks: list[asyncio.Task[None]] = []
        self.port = settings.listen_port

    async def start(self) -> None:
        self.parts = parts = await build_parts(self.settings, migrate_in_child=True)
        _report_knowledge(parts)
        self.bot = build_bot(self.settings, self.token)
        self.dp = build_dispatcher(parts, redeliverable=self.webhook)
        self.runner = web.AppRunner(build_web_app(parts, self.bot, self.dp, webhook=self.webhook), access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, self.settings.listen_host, self.settings.listen_port)
        await site.start()
        if self.settings.listen_port == 0:
            self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        if self.webhook:
            await register_commands(self.bot, parts.i18n, self.settings.counsellor_chat_id)
            await self.bot.set_webhook(
                f"{self.settings.public_url}{WEBHOOK_PATH}", secret_token=parts.webhook_secret(),
                allowed_updates=self.dp.resolve_used_update_types(), drop_pending_updates=False,
                max_connections=self.settings.webhook_max_connections,
            )
            self.tasks = background_tasks(parts, self.bot, self.dp)
        log.info("listening on %s:%d (%s)", self.settings.listen_host, self.port, "webhook" if self.webhook else "polling")

    async def serve(self) -> None:
        """Until stopped: polling, or (webhook) waiting while the web server handles deliveries."""
        assert self.bot is not None and self.dp is not None and self.parts is not None
        if self.webhook:
            await asyncio.Event().wait()
        else:
            await start_polling(self.bot, self.dp, self.parts, handle_signals=False)

    async def stop(self) -> None:
        if self.dp is not None and not self.webhook:
            with contextlib.suppress(RuntimeError):
                await self.dp.stop_polling()
        await stop_tasks(self.tasks)
        if self.runner is not None:
            await self.runner.cleanup()
        if self.bot is not None:
            await self.bot.session.close()
        if self.parts is not None:
            await self.parts.close()


async def run_bot(settings: Settings) -> None:
    assert settings.bot_token is not None
    instance = Instance(settings, settings.bot_token.get_secret_value())
    await instance.start()
    if settings.tuning:
        tune_collector()  # the serving process only: tests start many instances in one process
    serving = asyncio.create_task(instance.serve())
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, serving.cancel)
    try:
        await serving
    except asyncio.CancelledError:
        log.info("stopping")
    finally:
        await instance.stop()


def _report_knowledge(parts: AppParts) -> None:
    result = parts.kb.last_load
    for problem in result.errors:
        log.error("knowledge base: %s", problem)
    log.info("knowledge base loaded: %d topics, %d problems", len(result.kb.topic_ids), len(result.problems))
