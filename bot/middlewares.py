"""Outer middlewares on every update: skip redeliveries, one database session, who is asking."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import Message, TelegramObject, Update, User
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from storage import people, stats
from storage.secrets import Pseudonymizer
from storage.updates import claim_update, handled_already

log = logging.getLogger(__name__)
Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class DatabaseSessionMiddleware(BaseMiddleware):
    """One session per update, the same unit of work on SQLite and PostgreSQL.

    A handler decides and writes, commits, then calls Telegram: where it has written something that
    must stand whatever Telegram answers (a new conversation, a claim, a close, /forget), it commits
    before the call, so no transaction (and on SQLite not the one write lock) is held while Telegram
    answers or a 429 is slept out. What is left (a person's last-seen day, the day's counts) is
    written here at the end, in one short transaction with the update's "handled" mark.

    Idempotency by update_id: an update already marked is skipped. A redelivery of an update still
    being handled is one of the same chat, and waits for it behind the per-chat lock (in memory, or
    in Redis across instances), which is taken before this middleware runs; it then finds the mark.
    Should the mark be there all the same at the end, this delivery's remaining writes are dropped.
    """

    def __init__(self, sessions: Callable[[], AbstractAsyncContextManager[AsyncSession]]) -> None:
        self.sessions = sessions

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        assert isinstance(event, Update)
        async with self.sessions() as session:
            if await handled_already(session, event.update_id):
                log.info("skipped a redelivered update")
                return None
            data["session"] = session
            result = await handler(event, data)
            if not await claim_update(session, event.update_id):
                log.warning("an update was handled twice; its second writes are dropped")
                await session.rollback()
                return result
            await stats.flush(session)
            await session.commit()
            return result


class PersonMiddleware(BaseMiddleware):
    """Pseudonym and stored language of the person writing in a private chat; never their id."""

    def __init__(self, pseudonyms: Pseudonymizer) -> None:
        self.pseudonyms = pseudonyms

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        chat = data.get("event_chat")
        session: AsyncSession = data["session"]
        if user is not None and not user.is_bot and (chat is None or chat.type == "private"):
            pseudonym = self.pseudonyms(user.id)
            data["pseudonym"] = pseudonym
            try:
                message = event.message if isinstance(event, Update) else None
                message_id = message.message_id if isinstance(message, Message) else None
                noted = await people.note_message(session, pseudonym, message_id, dt.datetime.now(dt.UTC))
                data["person_language"], data["in_conversation"] = noted
            except SQLAlchemyError:
                log.exception("could not read the person's preferences")
                data["person_language"] = None
        return await handler(event, data)
