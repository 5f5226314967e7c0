"""The composition root: build the bot, the dispatcher and everything handlers need, in one place."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.admission import Admission, turn_given_up
from bot.chat_state import ChatIsolation, ChatStateInMemory, use_lazy_state
from bot.config import Settings
from bot.i18n import PersonLanguageMiddleware, create_i18n
from bot.metrics import UpdateMetrics
from bot.middlewares import DatabaseSessionMiddleware, PersonMiddleware
from bot.redis_notify import announce_change
from bot.routing import merge_routers
from bot.telegram_retry import RetryMiddleware
from bot.telegram_session import BotApiSession
from bot.webhook_reply import AnswerPressInWebhookReply
from flows import get_routers
from flows.draft_notes import DraftNotes
from flows.recent_questions import RecentQuestions
from handoff.access import CounsellorAccess
from handoff.desk import Desk
from handoff.flood import FloodControl
from knowledge import sync
from knowledge.editing import Editing
from knowledge.engine import KnowledgeHolder
from storage.database import SQLITE_UPDATE_CONNECTIONS_KEPT, create_engine, is_sqlite, session_factory
from storage.migrate import upgrade, upgrade_in_child
from storage.secrets import Cipher, Pseudonymizer, load_or_create_secret
from storage.update_sessions import KeptConnectionSessions

if TYPE_CHECKING:  # imported only when REDIS_URL is set: an instance without Redis saves 6 MB
    from redis.asyncio import Redis

CHAT_LOCK_SECONDS = 5


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
    # SQLite: updates' sessions on kept connections (storage/update_sessions.py); else `sessions`.
    kept_connections: KeptConnectionSessions | None = None

    @property
    def update_sessions(self) -> Callable[[], AbstractAsyncContextManager[AsyncSession]]:
        return self.kept_connections if self.kept_connections is not None else self.sessions

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
        if self.kept_connections is not None:
            await self.kept_connections.close()
        await self.engine.dispose()


async def build_parts(settings: Settings, kb: KnowledgeHolder | None = None, *,
                      migrate_in_child: bool = False) -> AppParts:
    """Open the database (migrated to the latest schema), the secret, the knowledge base.
    `migrate_in_child`: the serving process leaves Alembic (11 MB) to a short-lived child process."""
    secret = load_or_create_secret(
        settings.data_dir, settings.secret_key.get_secret_value() if settings.secret_key else None
    )
    engine = create_engine(settings.db_url)
    if migrate_in_child:
        await upgrade_in_child(settings.db_url)
    else:
        await upgrade(engine)
    sessions = session_factory(engine)
    parts = AppParts(
        settings=settings,
        engine=engine,
        sessions=sessions,
        pseudonyms=Pseudonymizer(secret),
        cipher=Cipher(secret),
        kb=kb or KnowledgeHolder(settings.knowledge_dir, settings.fallback_languages),
        i18n=create_i18n(settings.default_language),
        redis=_redis(settings.redis_url) if settings.redis_url else None,
        kept_connections=KeptConnectionSessions(engine, sessions, keep=SQLITE_UPDATE_CONNECTIONS_KEPT)
        if is_sqlite(engine) else None,
    )
    await sync.refresh(parts.kb, parts.sessions, force=False)  # the editors' revisions on top of the files
    return parts


def _redis(url: str) -> Redis:
    from redis.asyncio import Redis

    return Redis.from_url(url)


def build_bot(settings: Settings, token: str) -> Bot:
    session = BotApiSession(api=TelegramAPIServer.from_base(settings.telegram_api_url))
    session.prepare()
    session.middleware(AnswerPressInWebhookReply())  # first: outermost, a held answer is never retried
    session.middleware(RetryMiddleware())
    return Bot(token=token, session=session, default=DefaultBotProperties(parse_mode=ParseMode.HTML))


def build_dispatcher(parts: AppParts, *, redeliverable: bool = False) -> Dispatcher:
    """`redeliverable`: updates come by webhook, so a failure can be left for Telegram to redeliver."""
    desk = Desk(parts.settings, parts.cipher, parts.pseudonyms, parts.i18n, CounsellorAccess(parts.settings))
    # One update at a time per chat and person (Telegram's order), concurrently across chats: without it
    # "/talk" and the message right after could race, and the message would miss the new conversation.
    # In memory, a chat's lock and state are dropped once unused (bot/chat_state.py; aiogram's own keep
    # one per chat ever seen).
    extra: dict[str, object] = {"storage": ChatStateInMemory(), "events_isolation": ChatIsolation()}
    if parts.redis is not None:
        from aiogram.fsm.storage.redis import RedisStorage

        from bot.redis_chat_lock import RenewedChatLock

        # FSM state and per-chat event isolation shared by every instance. The per-chat lock is renewed
        # while its update is handled and expires a few seconds after that stops: if an instance dies
        # while holding it, the others carry on with that chat soon, instead of after aiogram's minute.
        isolation = RenewedChatLock(parts.redis, expiry=CHAT_LOCK_SECONDS)
        extra = {"storage": RedisStorage(parts.redis), "events_isolation": isolation}
    dp = Dispatcher(
        **extra,  # type: ignore[arg-type]
        disable_fsm=True,  # replaced by use_lazy_state below: no FSM state read per update
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
    )
    use_lazy_state(dp)  # the per-chat lock, where aiogram's FSM middleware would take it
    # Order matters: time it (waiting for a turn included), take a turn, skip redeliveries and open the
    # session, then know the person, then their language.
    dp.update.outer_middleware(UpdateMetrics())
    dp.update.outer_middleware(Admission(parts.settings.active_updates))
    if is_sqlite(parts.engine):  # waiting for SQLite's write turn gives the update's place away too
        from storage.sqlite_inline import write_turns_of

        write_turns_of(parts.engine).while_waiting = turn_given_up
    dp.update.outer_middleware(DatabaseSessionMiddleware(parts.update_sessions, mark_first=not is_sqlite(parts.engine)))
    dp.update.outer_middleware(PersonMiddleware(parts.pseudonyms))
    dp.update.outer_middleware(PersonLanguageMiddleware(parts.i18n))
    # Edits count as messages (each is a relay too); danger always goes through.
    flood = FloodControl(parts.settings.messages_per_minute,
                         is_danger=lambda text: parts.kb.engine.crisis.check(text) is not None)
    dp.message.outer_middleware(flood)
    dp.edited_message.outer_middleware(flood)
    dp.include_router(merge_routers(get_routers()))  # one walk per update, not thirteen
    return dp
