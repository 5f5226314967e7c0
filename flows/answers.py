"""Free text: the crisis check first, then the curated answer, or an honest "I don't know"."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.metrics import ANSWERS
from flows.answer_view import answer_text
from flows.crisis import crisis_buttons, crisis_text
from flows.filters import HAS_TEXT, PRIVATE_CHAT
from flows.keyboards import answer_buttons, main_menu, no_answer_buttons
from flows.recent_questions import RecentQuestions
from flows.texts import no_answer_text
from knowledge.engine import KnowledgeHolder
from storage import stats, unanswered

log = logging.getLogger(__name__)


async def free_text(message: Message, kb: KnowledgeHolder, session: AsyncSession, i18n_locale: str,
                    recent_questions: RecentQuestions, pseudonym: str) -> None:
    assert message.text is not None
    engine = kb.engine
    reply = engine.ask(message.text, i18n_locale)
    ANSWERS.labels(result="crisis" if reply.crisis else "answered" if reply.answer else "no_answer").inc()
    if reply.crisis is not None:
        log.info("crisis reply sent (%s)", reply.crisis.kind)  # the kind only, never the words
        await stats.count(session, "crisis", language=i18n_locale, bucket=reply.crisis.kind)
        await message.answer(crisis_text(reply.crisis, engine.kb, i18n_locale), reply_markup=crisis_buttons())
    if reply.answer is not None:
        await stats.count(session, "answered", language=reply.answer.lang, topic=reply.answer.topic_id)
        sent = await message.answer(answer_text(reply.answer), reply_markup=answer_buttons(reply.answer.topic_id))
        recent_questions.remember(pseudonym, sent.message_id, message.text)
    elif reply.crisis is None:
        await stats.count(session, "no_answer", language=i18n_locale)
        # Kept for editors without anything identifying (see knowledge/scrub.py), then purged.
        await unanswered.add(session, message.text, lang=i18n_locale, reason="no_answer")
        await message.answer(no_answer_text(), reply_markup=no_answer_buttons())


async def not_text(message: Message) -> None:
    """Photos, voice notes, stickers... outside a conversation with a counsellor: say what works."""
    await message.answer(
        _("I can only read text. Type your question, or choose a topic. To talk to a person: /talk"),
        reply_markup=main_menu(),
    )


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.filter(PRIVATE_CHAT)
    router.message.register(free_text, HAS_TEXT)
    router.message.register(not_text)
    return router
