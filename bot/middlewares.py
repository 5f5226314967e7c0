"""Outer middlewares on every update: skip redeliveries, one database session, who is asking."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import Message, TelegramObject, Update, User
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from storage import direct, people, stats
from storage.secrets import Pseudonymizer
from storage.updates import claim_update, handled_already

log = logging.getLogger(__name__)
Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class DatabaseSessionMiddleware(BaseMiddleware):
    """One session per update; the update is handled once (by update_id), its writes committed at the end.

    PostgreSQL (several instances): the update is marked handled first. That row stays locked until
    the commit, so a redelivery of the same update -- on any instance -- waits for it and is skipped.

    SQLite (one process, one writer at a time): the mark is only checked first and written with the
    update's other writes in one short transaction at the end, so the write turn (storage/sqlite_inline.py)
    is not held while the bot talks to Telegram. A redelivery arriving while the first delivery is
    still being handled waits for it in memory. Reads before the end run outside any transaction, so the final write never
    has to upgrade an old read snapshot (which SQLite refuses after another commit).
    """

    def __init__(self, sessions: Callable[[], AbstractAsyncContextManager[AsyncSession]], *,
                 mark_first: bool) -> None:
        self.sessions = sessions
        self.mark_first = mark_first
        self._in_hand: dict[int, asyncio.Event] = {}

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        assert isinstance(event, Update)
        if self.mark_first:
            return await self._marked_first(handler, event, data)
        while (running := self._in_hand.get(event.update_id)) is not None:
            await running.wait()
        done = self._in_hand[event.update_id] = asyncio.Event()
        try:
            return await self._marked_last(handler, event, data)
        finally:
            del self._in_hand[event.update_id]
            done.set()

    async def _marked_first(self, handler: Handler, event: Update, data: dict[str, Any]) -> Any:
        async with self.sessions() as session:
            if not await claim_update(session, event.update_id):
                log.info("skipped a redelivered update")
                return None
            data["session"] = session
            result = await handler(event, data)
            await stats.flush(session)
            await session.commit()
            return result

    async def _marked_last(self, handler: Handler, event: Update, data: dict[str, Any]) -> Any:
        async with self.sessions() as session:
            if await handled_already(session, event.update_id):
                log.info("skipped a redelivered update")
                return None
            data["session"] = session
            result = await handler(event, data)
            if not await claim_update(session, event.update_id):  # the first write: takes the write turn
                # Only another process writing to this SQLite file could have marked it meanwhile.
                log.warning("an update was handled twice; its second writes are dropped")
                await session.rollback()
                return result
            await stats.flush(session)
            await direct.commit(session)  # the session is closed right after
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
