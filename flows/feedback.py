"""👍 / 👎 under an answer: counted per topic and language (no pseudonym). The question "Was this
helpful?" goes with its buttons; after 👎 the person says what was wrong (wrong topic, unclear, out
of date, or they want a person), counted per topic for the editors' report — no words kept."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.types import CallbackQuery, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from flows.answer_view import answer_text
from flows.callbacks import Feedback, FeedbackWhy
from flows.desk_protocol import Desk, StartTalk
from flows.filters import PRESS_IN_PRIVATE_CHAT
from flows.in_place import edit_in_place
from flows.keyboards import answer_buttons, per_language
from knowledge.engine import KnowledgeHolder
from knowledge.topics import TOPIC_IDS
from storage import stats

# What was wrong, in the order offered; the ids are the report's buckets and never change.
REASONS = ("wrong_topic", "unclear", "out_of_date", "talk")
REASON_METRIC = "not_helpful_reason"


@per_language
def reason_buttons(topic_id: str) -> InlineKeyboardMarkup:
    labels = {
        "wrong_topic": _("🔀 Not what I asked"),
        "unclear": _("🤔 Not clear"),
        "out_of_date": _("📅 Out of date"),
        "talk": _("💬 I want to talk to someone"),
    }
    kb = InlineKeyboardBuilder()
    for reason in REASONS:
        kb.button(text=labels[reason], callback_data=FeedbackWhy(topic=topic_id, reason=reason))
    kb.adjust(1)
    return kb.as_markup()


def _answer_without_question(kb: KnowledgeHolder, topic_id: str, language: str) -> str | None:
    answer = kb.engine.answer(topic_id, language)
    return answer_text(answer, ask_feedback=False) if answer is not None else None


async def feedback(
    query: CallbackQuery,
    callback_data: Feedback,
    session: AsyncSession,
    i18n_locale: str,
    kb: KnowledgeHolder,
) -> None:
    if callback_data.topic not in TOPIC_IDS:
        await query.answer(_("This button is no longer valid."))
        return
    metric = "helpful" if callback_data.helpful else "not_helpful"
    await stats.count(session, metric, language=i18n_locale, topic=callback_data.topic)
    # No words are kept on 👎: only the counts (a question is kept only with consent, flows/keep_question.py).
    text = _answer_without_question(kb, callback_data.topic, i18n_locale)
    if callback_data.helpful:
        if text is not None:
            await edit_in_place(query, text, answer_buttons(callback_data.topic, feedback=False))
        await query.answer(_("Thank you!"))
        return
    if text is not None:
        await edit_in_place(query, text + "\n\n" + _("What was wrong?"), reason_buttons(callback_data.topic))
    await query.answer()


async def feedback_why(
    query: CallbackQuery,
    callback_data: FeedbackWhy,
    session: AsyncSession,
    bot: Bot,
    desk: Desk,
    kb: KnowledgeHolder,
    i18n_locale: str,
    pseudonym: str,
    start_talk: StartTalk,
) -> None:
    if callback_data.topic not in TOPIC_IDS or callback_data.reason not in REASONS:
        await query.answer(_("This button is no longer valid."))
        return
    await stats.count(
        session, REASON_METRIC, language=i18n_locale, topic=callback_data.topic, bucket=callback_data.reason
    )
    text = _answer_without_question(kb, callback_data.topic, i18n_locale)
    if text is not None:
        thanks = _("Thank you: our editors will see this and improve the answer.")
        await edit_in_place(
            query, text + "\n\n" + thanks, answer_buttons(callback_data.topic, feedback=False)
        )
    if callback_data.reason == "talk":  # handoff's start_talk, handed in by the composition root
        await start_talk(
            query,
            session=session,
            bot=bot,
            desk=desk,
            kb=kb,
            pseudonym=pseudonym,
            chat_id=query.from_user.id,
            language=i18n_locale,
            topic=callback_data.topic,
            crisis=False,
        )
    await query.answer()


def create_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.filter(PRESS_IN_PRIVATE_CHAT)
    router.callback_query.register(feedback, Feedback.filter())
    router.callback_query.register(feedback_why, FeedbackWhy.filter())
    return router
