"""Browsing: main menu → category → topic → answer, edited in place rather than flooding the chat."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from flows.answer_view import answer_text
from flows.callbacks import MenuNav
from flows.draft_notes import DraftNotes
from flows.filters import PRESS_IN_PRIVATE_CHAT, PRIVATE_CHAT
from flows.in_place import edit_in_place
from flows.keyboards import answer_buttons, category_menu, main_menu
from flows.texts import CATEGORY_NAMES, main_menu_text
from knowledge.engine import KnowledgeHolder
from knowledge.topics import CATEGORIES
from storage import stats


async def show_menu(message: Message) -> None:
    await message.answer(main_menu_text(), reply_markup=main_menu())


async def navigate(
    query: CallbackQuery, callback_data: MenuNav, kb: KnowledgeHolder, session: AsyncSession, i18n_locale: str,
    settings: Settings | None = None, draft_notes: DraftNotes | None = None, pseudonym: str | None = None,
) -> None:
    engine = kb.engine
    category, topic = callback_data.category, callback_data.topic
    if not category:
        await edit_in_place(query, main_menu_text(), main_menu())
    elif category not in CATEGORIES or (topic and topic not in CATEGORIES[category]):
        await query.answer(_("This button is no longer valid."))
        return
    elif not topic:
        chain = engine.chain(i18n_locale)
        titles = tuple((t, engine.kb.title(t, chain)) for t in CATEGORIES[category] if t in engine.kb.topic_ids)
        await edit_in_place(query, f"<b>{CATEGORY_NAMES[category]}</b>", category_menu(titles))
    else:
        answer = engine.answer(topic, i18n_locale)
        if answer is None:
            await query.answer(_("This topic has no answer yet. A counsellor can help: /talk"), show_alert=True)
            return
        await stats.count(session, "answer_menu", language=answer.lang, topic=topic)
        note_due = answer.status != "draft" or draft_notes is None or draft_notes.due(pseudonym)
        text = answer_text(answer, settings=settings, draft_note_due=note_due)
        await edit_in_place(query, text, answer_buttons(topic, back_to_category=True))
    await query.answer()


def create_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.filter(PRESS_IN_PRIVATE_CHAT)
    router.message.register(show_menu, Command("menu"), PRIVATE_CHAT)
    router.callback_query.register(navigate, MenuNav.filter())
    return router
