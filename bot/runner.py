"""Run the bot against Telegram (or any Bot API server): long polling."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging

from aiogram import Bot, Dispatcher

from bot.app import AppParts, build_bot, build_dispatcher, build_parts
from bot.commands import register_commands
from bot.config import Settings
from handoff.purge import purge_forever
from knowledge.sync import refresh_forever

KNOWLEDGE_REFRESH_SECONDS = 2.0  # how soon another instance's edit reaches this one

log = logging.getLogger(__name__)


async def start_polling(bot: Bot, dp: Dispatcher, parts: AppParts, *, handle_signals: bool = True) -> None:
    await register_commands(bot, parts.i18n, parts.settings.counsellor_chat_id)
    await bot.delete_webhook(drop_pending_updates=False)
    tasks = background_tasks(parts)
    try:
        await dp.start_polling(bot, allowed_updates=dp.resolve_used_update_types(), handle_signals=handle_signals)
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task


def background_tasks(parts: AppParts) -> list[asyncio.Task[None]]:
    """The scheduled purge and the knowledge-base refresh, kept so they can be stopped."""
    settings = parts.settings
    return [
        asyncio.create_task(purge_forever(parts.sessions, settings.purge_interval_seconds,
                                          dt.timedelta(days=settings.unanswered_retention_days))),
        asyncio.create_task(refresh_forever(parts.kb, parts.sessions, KNOWLEDGE_REFRESH_SECONDS)),
    ]


async def run_bot(settings: Settings) -> None:
    assert settings.bot_token is not None
    parts = await build_parts(settings)
    _report_knowledge(parts)
    bot = build_bot(settings, settings.bot_token.get_secret_value())
    dp = build_dispatcher(parts)
    try:
        await start_polling(bot, dp, parts)
    finally:
        await bot.session.close()
        await parts.close()


def _report_knowledge(parts: AppParts) -> None:
    result = parts.kb.last_load
    if result.errors:
        for problem in result.errors:
            log.error("knowledge base: %s", problem)
    log.info("knowledge base loaded: %d topics, %d problems", len(result.kb.topic_ids), len(result.problems))
