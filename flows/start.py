"""/start: a greeting and the main menu in the person's language — the one they chose, else their
Telegram app's when we speak it (the menu's 🌐 button changes it) — else the language picker.
Someone waiting for or talking with a counsellor is told where they stand instead."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import CommandStart
from aiogram.types import Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import client_language
from flows.desk_protocol import Desk, WhereTheyStand
from flows.filters import PRIVATE_CHAT
from flows.keyboards import language_picker, main_menu
from flows.texts import main_menu_text
from knowledge.engine import KnowledgeHolder
from storage import conversations


async def start(
    message: Message,
    session: AsyncSession,
    desk: Desk,
    kb: KnowledgeHolder,
    i18n: I18n,
    person_language: str | None = None,
    i18n_locale: str | None = None,
    pseudonym: str | None = None,
    in_conversation: bool | None = None,
    where_they_stand: WhereTheyStand | None = None,
) -> None:
    if pseudonym is not None and in_conversation is not False:
        conversation = await conversations.open_for_person(session, pseudonym)
        if conversation is not None and where_they_stand is not None:
            where = await where_they_stand(desk, session, conversation, kb)
            if conversation.status == "waiting":
                where = _("You are still waiting for a counsellor.") + "\n\n" + where
            await message.answer(where)
            return
    greeting = _(
        "Hello! I am Vraagbaak, an anonymous helpdesk for sex workers in Belgium. Ask me about health, "
        "safety, the law, money or housing — day and night, free. I do not keep your name or number."
    )
    if person_language is None and client_language(message.from_user, i18n.available_locales) is None:
        await message.answer(
            greeting + "\n\n" + _("Choose your language:"), reply_markup=language_picker(i18n_locale)
        )
        return
    await message.answer(greeting + "\n\n" + main_menu_text(), reply_markup=main_menu())


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.filter(PRIVATE_CHAT)
    router.message.register(start, CommandStart())
    return router
