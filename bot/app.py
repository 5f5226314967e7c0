"""The composition root: build the bot, the dispatcher and everything handlers need, in one place."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.base import BaseEventIsolation

from bot import update_event_type
from bot.admission import admission
from bot.chat_state import ChatIsolation, ChatLock
from bot.config import Settings
from bot.i18n import PersonLanguageMiddleware, create_i18n
from bot.metrics import UpdateMetrics
from bot.middlewares import DatabaseSessionMiddleware, PersonMiddleware
from bot.outbound import OutboundScheduler
from bot.parts import AppParts
from bot.routers import get_routers
from bot.telegram_retry import RetryMiddleware
from bot.telegram_session import bot_api_session
from bot.unreadable_updates import SkipBareUpdates, SkipUnreadableUpdates
from flows.draft_notes import DraftNotes
from flows.recent_questions import RecentQuestions
from handoff.access import CounsellorAccess
from handoff.desk import Desk
from handoff.flood import FloodControl
from handoff.person import confirmation_text, start_talk
from knowledge import sync
from knowledge.engine import KnowledgeHolder
from storage.database import create_engine, session_factory
from storage.key_check import establish_secret
from storage.migrate import upgrade, upgrade_in_child
from storage.secrets import Cipher, Pseudonymizer

if TYPE_CHECKING:  # imported only when REDIS_URL is set: an instance without Redis saves 6 MB
    from redis.asyncio import Redis

CHAT_LOCK_SECONDS = 5


async def build_parts(settings: Settings, kb: KnowledgeHolder | None = None, *,
                      migrate_in_child: bool = False) -> AppParts:
    """Open the database (migrated to the latest schema), the secret, the knowledge base.
    `migrate_in_child`: the serving process leaves Alembic (11 MB) to a short-lived child process."""
    engine = create_engine(settings.db_url)
    if migrate_in_child:
        await upgrade_in_child(settings.db_url)
    else:
        await upgrade(engine)
    sessions = session_factory(engine)
    try:  # checked against the data it made: refuses to start with a wrong or lost key
        secret = await establish_secret(
            settings.data_dir, settings.secret_key.get_secret_value() if settings.secret_key else None, sessions
        )
    except SystemExit:
        await engine.dispose()
        raise
    parts = AppParts(
        settings=settings,
        engine=engine,
        sessions=sessions,
        pseudonyms=Pseudonymizer(secret),
        cipher=Cipher(secret),
        kb=kb or KnowledgeHolder(settings.knowledge_dir, settings.fallback_languages),
        i18n=create_i18n(settings.default_language),
        redis=_redis(settings.redis_url) if settings.redis_url else None,
    )
    await sync.refresh(parts.kb, parts.sessions, force=False)  # the editors' revisions on top of the files
    return parts


def _redis(url: str) -> Redis:
    from redis.asyncio import Redis

    return Redis.from_url(url)


def build_bot(settings: Settings, token: str) -> Bot:
    session = bot_api_session(TelegramAPIServer.from_base(settings.telegram_api_url))
    session.middleware(RetryMiddleware())
    if settings.telegram_limits:
        # Inside the retries, so a retried call waits its turn again; danger goes first (bot/outbound.py).
        session.middleware(OutboundScheduler())
    session.middleware(SkipUnreadableUpdates())  # one unreadable update never blocks polling
    return Bot(token=token, session=session, default=DefaultBotProperties(parse_mode=ParseMode.HTML))


def build_dispatcher(parts: AppParts, *, redeliverable: bool = False) -> Dispatcher:
    """`redeliverable`: updates come by webhook, so a failure can be left for Telegram to redeliver."""
    desk = Desk(parts.settings, parts.cipher, parts.pseudonyms, parts.i18n, CounsellorAccess(parts.settings), parts.kb)
    tuned = parts.settings.tuning
    if tuned:
        update_event_type.apply()  # an update is not kept in memory once handled
    dp = Dispatcher(
        disable_fsm=True,  # no flow keeps FSM state; the per-chat lock is taken by ChatLock below
        redeliverable=redeliverable,
        desk=desk,
        recent_questions=RecentQuestions(),
        draft_notes=DraftNotes(),
        editing=parts.editing,
        settings=parts.settings,
        kb=parts.kb,
        cipher=parts.cipher,
        pseudonyms=parts.pseudonyms,
        sessions=parts.sessions,
        i18n=parts.i18n,
        # handoff's steps that flows use, handed in so flows do not import handoff (flows/desk_protocol.py)
        start_talk=start_talk,
        where_they_stand=confirmation_text,
    )
    # Order matters: one update at a time per chat (Telegram's order; without it "/talk" and the
    # message right after could race), time it, take a turn, skip redeliveries and open the session,
    # then know the person, then their language.
    dp.update.outer_middleware(SkipBareUpdates())  # unreadable updates, already logged without content
    dp.update.outer_middleware(ChatLock(_chat_isolation(parts)))
    dp.update.outer_middleware(UpdateMetrics())
    if tuned and (turns := admission(parts.settings.active_updates)) is not None:
        dp.update.outer_middleware(turns)
    dp.update.outer_middleware(DatabaseSessionMiddleware(parts.sessions))
    dp.update.outer_middleware(PersonMiddleware(parts.pseudonyms))
    dp.update.outer_middleware(PersonLanguageMiddleware(parts.i18n))
    # Edits count as messages (each is a relay too); danger always goes through.
    flood = FloodControl(parts.settings.messages_per_minute,
                         is_danger=lambda text: parts.kb.engine.crisis.check(text) is not None)
    dp.message.outer_middleware(flood)
    dp.edited_message.outer_middleware(flood)
    dp.include_routers(*get_routers())
    return dp


def _chat_isolation(parts: AppParts) -> BaseEventIsolation:
    """Per chat, in memory (dropped once unused, bot/chat_state.py); with Redis, across instances."""
    if parts.redis is None:
        return ChatIsolation()
    from bot.redis_chat_lock import chat_lock
    from bot.redis_keys import PseudonymousKeyBuilder

    # Renewed while its update is handled, expiring a few seconds after that stops: if an instance
    # dies while holding it, the others carry on with that chat soon, not after aiogram's minute.
    keys = PseudonymousKeyBuilder(parts.pseudonyms)  # a keyed hash, never the chat's Telegram ids
    return chat_lock(parts.redis, expiry=CHAT_LOCK_SECONDS, key_builder=keys, renewed=parts.settings.tuning)
