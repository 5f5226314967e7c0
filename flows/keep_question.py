"""A question the bot could not answer is kept for the editors only if the person says so.

After the no-answer reply the bot asks; the question waits in this process's memory, already
scrubbed (knowledge/scrub.py), until they press a button or for 15 minutes at most (flows/recent_questions.py). No (or no
answer) keeps nothing. Someone in a conversation with a counsellor, or just out of one, is never
asked: what they write belongs to that conversation.
"""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InaccessibleMessage, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from flows.recent_questions import RecentQuestions
from knowledge.languages import SUPPORTED_LANGUAGES
from knowledge.scrub import scrub
from storage import conversations, unanswered


class KeepQuestion(CallbackData, prefix="keepq"):
    keep: bool
    lang: str  # the question's language, for the editors' list


def _buttons(lang: str) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=_("Yes, keep it"), callback_data=KeepQuestion(keep=True, lang=lang))
    kb.button(text=_("No"), callback_data=KeepQuestion(keep=False, lang=lang))
    return kb.as_markup()


async def offer_to_keep(
    message: Message,
    session: AsyncSession,
    recent_questions: RecentQuestions,
    pseudonym: str,
    text: str,
    lang: str,
) -> None:
    """Call after the no-answer reply."""
    if text.startswith("/"):  # an unknown command is no question for the editors
        return
    if await conversations.had_conversation(session, pseudonym):
        return
    if not scrub(text).replace("[…]", "").strip():
        return
    ask = await message.answer(
        _("May we keep your question, without your details, so an editor can add an answer?"),
        reply_markup=_buttons(lang),
    )
    recent_questions.remember(pseudonym, ask.message_id, text)


async def keep_question(
    query: CallbackQuery,
    callback_data: KeepQuestion,
    session: AsyncSession,
    recent_questions: RecentQuestions,
    pseudonym: str,
) -> None:
    message = query.message
    question = recent_questions.take(pseudonym, message.message_id) if message is not None else None
    kept = callback_data.keep and question is not None and callback_data.lang in SUPPORTED_LANGUAGES
    if kept:
        assert question is not None
        await unanswered.add(session, question, lang=callback_data.lang, reason="no_answer")
    if message is not None and not isinstance(message, InaccessibleMessage):
        await message.edit_reply_markup(reply_markup=None)
    await query.answer(
        _("Thank you: your question is kept, without your details.") if kept else _("Nothing is kept.")
    )
