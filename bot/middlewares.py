"""Outer middlewares on every update: skip redeliveries, one database session, who is asking."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import Message, TelegramObject, Update, User
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage import people, stats
from storage.secrets import Pseudonymizer
from storage.updates import claim_update

log = logging.getLogger(__name__)
Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class DatabaseSessionMiddleware(BaseMiddleware):
    """One session per update; the update is handled once (by update_id), and committed at the end.

    The update is marked as handled first: that write opens the transaction as a writer. (Marking it
    at the end would start with a read, and SQLite refuses to turn a read transaction into a write
    when another update committed meanwhile.) The day's counts are written last.
    """

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        assert isinstance(event, Update)
        async with self.sessions() as session:
            if not await claim_update(session, event.update_id):
                log.info("skipped a redelivered update")
                return None
            data["session"] = session
            result = await handler(event, data)
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
                data["person_language"] = await people.note_message(session, pseudonym, message_id,
                                                                    dt.datetime.now(dt.UTC))
            except SQLAlchemyError:
                log.exception("could not read the person's preferences")
                data["person_language"] = None
        return await handler(event, data)
