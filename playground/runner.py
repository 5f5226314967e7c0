"""`vraagbaak playground`: the Bot API stand-in and the real bot, in one process, on 127.0.0.1.

The stand-in keeps its state in DIR/standin (it plays Telegram, which knows ids and texts); the bot
keeps its own state in DIR, exactly as in production, and talks to the stand-in over HTTP.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from pathlib import Path

from aiogram import Bot, Dispatcher
from aiohttp import web

from bot.app import AppParts, build_bot, build_dispatcher, build_parts
from bot.config import Settings
from bot.runner import start_polling
from playground.standin.app import create_standin_app
from web.admin import setup_admin

log = logging.getLogger(__name__)

PLAYGROUND_TOKEN = "7000000001:playground-token-not-a-secret"
COUNSELLOR_CHAT_ID = -1001000000001
COUNSELLOR_IDS = [900001, 900002]
EDITOR_IDS = [900001]


class Playground:
    def __init__(self, settings: Settings, data_dir: Path, *, port: int = 8080, host: str = "127.0.0.1",
                 telegram_limits: bool | None = None) -> None:
        self.data_dir = data_dir.resolve()
        self.telegram_limits = telegram_limits  # the stand-in's flood limits (None: its default)
        self.host, self.port = host, port
        self.base_settings = settings
        self.runner: web.AppRunner | None = None
        self.parts: AppParts | None = None
        self.bot: Bot | None = None
        self.dp: Dispatcher | None = None
        self._polling: asyncio.Task[None] | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def _settings(self) -> Settings:
        overrides: dict[str, object] = {
            "telegram_api_url": self.url,
            "data_dir": self.data_dir,
            "counsellor_chat_id": self.base_settings.counsellor_chat_id or COUNSELLOR_CHAT_ID,
            "counsellor_ids": self.base_settings.counsellor_ids or COUNSELLOR_IDS,
            "editor_ids": self.base_settings.editor_ids or EDITOR_IDS,
            "public_url": self.base_settings.public_url or self.url,
        }
        if self.base_settings.database_url and "vraagbaak.db" not in self.base_settings.database_url:
            overrides["database_url"] = self.base_settings.database_url
        else:
            overrides["database_url"] = f"sqlite+aiosqlite:///{self.data_dir / 'vraagbaak.db'}"
        return self.base_settings.model_copy(update=overrides)

    async def start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        # Bind first, so that with port 0 the real port is known before the bot is configured.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        self.port = sock.getsockname()[1]
        settings = self._settings()
        assert settings.counsellor_chat_id is not None
        self.parts = await build_parts(settings)
        app = create_standin_app(
            self.data_dir / "standin",
            bot_token=PLAYGROUND_TOKEN,
            counsellor_chat_id=settings.counsellor_chat_id,
            counsellor_ids=settings.counsellor_ids,
            editor_ids=settings.editor_ids,
            limits=self.telegram_limits,
        )
        setup_admin(app, self.parts)
        self.runner = web.AppRunner(app, access_log=None)  # access logs would show chat ids in URLs
        await self.runner.setup()
        await web.SockSite(self.runner, sock).start()
        self.bot = build_bot(settings, PLAYGROUND_TOKEN)
        self.dp = build_dispatcher(self.parts)
        self._polling = asyncio.create_task(start_polling(self.bot, self.dp, self.parts, handle_signals=False))

    async def stop(self) -> None:
        if self.dp is not None and self._polling is not None:
            try:
                await self.dp.stop_polling()
            except RuntimeError:  # not polling yet (still starting): stop the start itself
                self._polling.cancel()
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(self._polling, timeout=15)
        if self.bot is not None:
            await self.bot.session.close()
        if self.parts is not None:
            await self.parts.close()
        if self.runner is not None:
            await self.runner.cleanup()


async def run_playground(settings: Settings, *, port: int, data_dir: Path) -> None:
    playground = Playground(settings, data_dir, port=port)
    await playground.start()
    print(f"Vraagbaak playground: {playground.url}  (Ctrl+C to stop)", flush=True)
    try:
        assert playground._polling is not None
        await playground._polling
    finally:
        await playground.stop()
