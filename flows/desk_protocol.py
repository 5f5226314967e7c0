"""What flows ask of the counsellors' desk. The dispatcher hands every handler the desk
(handoff/desk.py) as `desk`; flows name only what they use of it, because handoff builds on flows
(its handlers use flows' filters, buttons and crisis texts), never the other way round."""

from __future__ import annotations

from typing import Protocol

from aiogram import Bot
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from knowledge.engine import KnowledgeHolder
from storage.models import Conversation


class Desk(Protocol):
    settings: Settings

    def is_open(self) -> bool:
        """Within opening hours now."""
        ...

    async def close_topic_after_forget(self, bot: Bot, conversation: Conversation) -> None: ...


class StartTalk(Protocol):
    """handoff.person.start_talk, handed to flows as `start_talk` (bot/app.py): a person asks for a
    counsellor from a flow's button."""

    async def __call__(
        self, message_or_query: Message | CallbackQuery, *, session: AsyncSession, bot: Bot, desk: Desk,
        kb: KnowledgeHolder, pseudonym: str, chat_id: int, language: str, topic: str, crisis: bool,
    ) -> object: ...


class WhereTheyStand(Protocol):
    """handoff.person.confirmation_text, handed to flows as `where_they_stand` (bot/app.py): what a
    person in a conversation is told about where they stand (waiting, their place, or talking)."""

    async def __call__(self, desk: Desk, session: AsyncSession, conversation: Conversation,
                       kb: KnowledgeHolder) -> str: ...
