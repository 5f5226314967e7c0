"""What the running bot is made of: its settings, database, secrets, knowledge base and Redis.
Built by the composition root (bot/app.py); the editors' pages (web/) get it too."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.redis_notify import announce_change
from knowledge.editing import Editing
from knowledge.engine import KnowledgeHolder
from storage.secrets import Cipher, Pseudonymizer

if TYPE_CHECKING:  # imported only when REDIS_URL is set: an instance without Redis saves 6 MB
    from redis.asyncio import Redis


@dataclass
class AppParts:
    """What the running bot is made of; tests build one per test."""

    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    pseudonyms: Pseudonymizer
    cipher: Cipher
    kb: KnowledgeHolder
    i18n: I18n
    redis: Redis | None = None

    @property
    def editing(self) -> Editing:
        return Editing(self.sessions, self.kb, notify=self.announce_knowledge_change)

    async def announce_knowledge_change(self) -> None:
        """Tell the other instances at once (they also notice by themselves within seconds)."""
        if self.redis is not None:
            await announce_change(self.redis)

    def webhook_secret(self) -> str:
        given = self.settings.webhook_secret
        return given.get_secret_value() if given else self.pseudonyms.token("webhook", "telegram")[:48]

    async def close(self) -> None:
        if self.redis is not None:
            await self.redis.aclose()
        await self.engine.dispose()
