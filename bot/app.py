"""The composition root: build the bot, the dispatcher and everything handlers need, in one place."""

from __future__ import annotations

from dataclasses import dataclass

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.base import BaseStorage
from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.i18n import PersonLanguageMiddleware, create_i18n
from bot.middlewares import DatabaseSessionMiddleware, PersonMiddleware
from bot.telegram_retry import RetryMiddleware
from flows import get_routers
from flows.recent_questions import RecentQuestions
from handoff.access import CounsellorAccess
from handoff.desk import Desk
from handoff.flood import FloodControl
from knowledge import sync
from knowledge.editing import Editing
from knowledge.engine import KnowledgeHolder
from storage.database import create_engine, session_factory
from storage.migrate import upgrade
from storage.secrets import Cipher, Pseudonymizer, load_or_create_secret


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

    @property
    def editing(self) -> Editing:
        return Editing(self.sessions, self.kb)

    async def close(self) -> None:
        await self.engine.dispose()


async def build_parts(settings: Settings, kb: KnowledgeHolder | None = None) -> AppParts:
    """Open the database (migrated to the latest schema), the secret, the knowledge base."""
    secret = load_or_create_secret(
        settings.data_dir, settings.secret_key.get_secret_value() if settings.secret_key else None
    )
    engine = create_engine(settings.db_url)
    await upgrade(engine)
    parts = AppParts(
        settings=settings,
        engine=engine,
        sessions=session_factory(engine),
        pseudonyms=Pseudonymizer(secret),
        cipher=Cipher(secret),
        kb=kb or KnowledgeHolder(settings.knowledge_dir, settings.fallback_languages),
        i18n=create_i18n(settings.default_language),
    )
    await sync.refresh(parts.kb, parts.sessions, force=False)  # the editors' revisions on top of the files
    return parts


def build_bot(settings: Settings, token: str) -> Bot:
    session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_url))
    session.middleware(RetryMiddleware())
    return Bot(token=token, session=session, default=DefaultBotProperties(parse_mode=ParseMode.HTML))


def build_dispatcher(parts: AppParts, storage: BaseStorage | None = None) -> Dispatcher:
    desk = Desk(parts.settings, parts.cipher, parts.pseudonyms, parts.i18n, CounsellorAccess(parts.settings))
    dp = Dispatcher(
        storage=storage,
        desk=desk,
        recent_questions=RecentQuestions(),
        editing=parts.editing,
        settings=parts.settings,
        kb=parts.kb,
        cipher=parts.cipher,
        pseudonyms=parts.pseudonyms,
        sessions=parts.sessions,
        i18n=parts.i18n,
    )
    # Order matters: skip redeliveries and open the session, then know the person, then their language.
    dp.update.outer_middleware(DatabaseSessionMiddleware(parts.sessions))
    dp.update.outer_middleware(PersonMiddleware(parts.pseudonyms))
    dp.update.outer_middleware(PersonLanguageMiddleware(parts.i18n))
    dp.message.outer_middleware(FloodControl(parts.settings.messages_per_minute))
    dp.include_routers(*get_routers())
    return dp
