"""👍 / 👎 under an answer: counted per topic and language (no pseudonym, no words), buttons removed after."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, InaccessibleMessage
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from flows.callbacks import Feedback
from flows.filters import PRESS_IN_PRIVATE_CHAT
from flows.keyboards import answer_buttons
from knowledge.topics import TOPIC_IDS
from storage import stats


async def feedback(query: CallbackQuery, callback_data: Feedback, session: AsyncSession, i18n_locale: str) -> None:
    if callback_data.topic not in TOPIC_IDS:
        await query.answer(_("This button is no longer valid."))
        return
    metric = "helpful" if callback_data.helpful else "not_helpful"
    await stats.count(session, metric, language=i18n_locale, topic=callback_data.topic)
    # No words are kept on 👎: only the count (a question is kept only with consent, flows/keep_question.py).
    if query.message and not isinstance(query.message, InaccessibleMessage):
        await query.message.edit_reply_markup(reply_markup=answer_buttons(callback_data.topic, feedback=False))
    if callback_data.helpful:
        await query.answer(_("Thank you!"))
    else:
        await query.answer(_("Thank you. A counsellor can help further: tap “Talk to a counsellor”."), show_alert=True)


def create_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.filter(PRESS_IN_PRIVATE_CHAT)
    router.callback_query.register(feedback, Feedback.filter())
    return router
