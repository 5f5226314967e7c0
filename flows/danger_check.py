"""The danger check: when the crisis check is unsure, ask "Are you in danger right now?" before answering.

Yes gets the same crisis reply, with first place in the queue, as a crisis the check was sure of; no
gets the answer the message would have had. The buttons carry what is needed for either (the kind of
danger guessed, the language, the topic of the answer), so the message's words are kept nowhere.
"""

from __future__ import annotations

import datetime as dt
import logging

from aiogram import Router
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InaccessibleMessage, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.outbound_priority import Priority, outbound_priority
from flows.answer_view import answer_text
from flows.crisis import crisis_buttons, crisis_text
from flows.desk_protocol import Desk
from flows.filters import PRESS_IN_PRIVATE_CHAT
from flows.keyboards import answer_buttons, no_answer_buttons
from flows.texts import no_answer_text
from knowledge.crisis import KINDS, CrisisHit
from knowledge.engine import KnowledgeHolder
from storage import stats

log = logging.getLogger(__name__)


class DangerAnswer(CallbackData, prefix="danger"):
    yes: bool
    kind: str  # the kind of danger the check guessed: it decides the crisis reply
    lang: str  # the language the question was asked in
    topic: str = ""  # the answer the message would have had ("" for none)


def danger_buttons(hit: CrisisHit, lang: str, topic: str | None) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(
        text=_("🆘 Yes, I am in danger"), callback_data=DangerAnswer(yes=True, kind=hit.kind, lang=lang)
    )
    kb.button(
        text=_("No, I am safe"),
        callback_data=DangerAnswer(yes=False, kind=hit.kind, lang=lang, topic=topic or ""),
    )
    kb.adjust(1)
    return kb.as_markup()


async def ask(message: Message, hit: CrisisHit, topic: str | None, i18n: I18n, lang: str) -> None:
    """Ask instead of answering; the answer (if any) waits behind the "no" button."""
    log.info("danger check asked (%s)", hit.kind)  # the kind only, never the words
    with i18n.use_locale(lang):
        await message.answer(_("Are you in danger right now?"), reply_markup=danger_buttons(hit, lang, topic))


async def answered(
    query: CallbackQuery,
    callback_data: DangerAnswer,
    kb: KnowledgeHolder,
    session: AsyncSession,
    i18n: I18n,
    desk: Desk,
) -> None:
    message = query.message
    if callback_data.kind not in KINDS or message is None or isinstance(message, InaccessibleMessage):
        await query.answer(_("This button is no longer valid."))
        return
    lang = callback_data.lang if callback_data.lang in i18n.available_locales else i18n.default_locale
    await message.edit_reply_markup(reply_markup=None)  # one answer per question
    await query.answer()
    engine = kb.engine
    with i18n.use_locale(lang):
        if callback_data.yes:
            hit = CrisisHit(callback_data.kind, lang)
            log.info("crisis reply sent after the danger check (%s)", hit.kind)
            await stats.count(session, "crisis", language=lang, bucket=hit.kind)
            with outbound_priority(Priority.CRISIS):
                availability = desk.settings.hours().availability(dt.datetime.now(dt.UTC))
                await message.answer(crisis_text(hit, engine.kb, lang, availability=availability),
                                     reply_markup=crisis_buttons(availability, kind=hit.kind))
            return
        answer = engine.answer(callback_data.topic, lang) if callback_data.topic else None
        if answer is None:
            await stats.count(session, "no_answer", language=lang)
            await message.answer(no_answer_text(), reply_markup=no_answer_buttons())
            return
        await stats.count(session, "answered", language=answer.lang, topic=answer.topic_id)
        await message.answer(answer_text(answer), reply_markup=answer_buttons(answer.topic_id))


def create_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.filter(PRESS_IN_PRIVATE_CHAT)
    router.callback_query.register(answered, DangerAnswer.filter())
    return router
