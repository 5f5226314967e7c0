"""Free text: the crisis check first, then the curated answer, or an honest "I don't know"."""

from __future__ import annotations

import datetime as dt
import logging

from aiogram import Router
from aiogram.types import InlineKeyboardMarkup, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.i18n import client_language
from bot.metrics import ANSWERS
from bot.outbound_priority import Priority, outbound_priority
from flows import danger_check
from flows.answer_view import answer_text
from flows.crisis import COMPANIONS, crisis_buttons, crisis_text
from flows.desk_protocol import Desk
from flows.draft_notes import DraftNotes
from flows.filters import HAS_WORDS, PRIVATE_CHAT
from flows.keep_question import offer_to_keep
from flows.keyboards import answer_buttons, main_menu, no_answer_buttons, suggestion_buttons
from flows.recent_questions import RecentQuestions
from flows.texts import abroad_text, did_you_mean_text, help_now_line, no_answer_text
from knowledge.engine import AnswerEngine, KnowledgeHolder, Reply
from storage import stats

log = logging.getLogger(__name__)


async def free_text(message: Message, kb: KnowledgeHolder, session: AsyncSession, i18n: I18n, i18n_locale: str,
                    recent_questions: RecentQuestions, pseudonym: str, desk: Desk,
                    person_language: str | None = None, settings: Settings | None = None,
                    draft_notes: DraftNotes | None = None) -> None:
    """A question in a message, or in a photo's or file's caption."""
    text = message.text or message.caption
    assert text is not None
    engine = kb.engine
    # The language the person chose, else their Telegram app's if we have it; otherwise (an app in
    # German, or none given) the one they wrote in, which the matcher tells.
    known = person_language or client_language(message.from_user, i18n.available_locales)
    reply = engine.ask(text, known)
    if reply.crisis is None and reply.danger_check is not None:  # maybe in danger: ask before answering
        topic = reply.answer.topic_id if reply.answer else None
        await danger_check.ask(message, reply.danger_check, topic, i18n, known or reply.lang)
        return
    ANSWERS.labels(result="crisis" if reply.crisis else "answered" if reply.answer else "no_answer").inc()
    answer = reply.answer
    if reply.crisis is not None:
        log.info("crisis reply sent (%s)", reply.crisis.kind)  # the kind only, never the words
        language = known or reply.crisis.lang
        await stats.count(session, "crisis", language=language, bucket=reply.crisis.kind)
        with i18n.use_locale(language), outbound_priority(Priority.CRISIS):
            availability = desk.settings.hours().availability(dt.datetime.now(dt.UTC))
            numbers = crisis_text(reply.crisis, engine.kb, language, availability=availability)
            buttons = crisis_buttons(availability, kind=reply.crisis.kind, source=message.message_id)
            await message.answer(numbers, reply_markup=buttons)
        if answer is not None and answer.topic_id not in COMPANIONS.get(reply.crisis.kind, ()):
            answer = None
    if answer is not None:
        await stats.count(session, "answered", language=answer.lang, topic=answer.topic_id)
        note_due = answer.status != "draft" or draft_notes is None or draft_notes.due(pseudonym)
        text = answer_text(answer, settings=settings, draft_note_due=note_due)
        # Two needs in one message: the second is offered as a button under the first answer.
        chain = engine.chain(answer.lang)
        also = tuple((topic, engine.kb.title(topic, chain)) for topic in reply.match.suggestions)
        await message.answer(text, reply_markup=answer_buttons(answer.topic_id, also=also))
    elif reply.crisis is None:
        await stats.count(session, "no_answer", language=i18n_locale)
        said, buttons = _no_answer(reply, engine, known or reply.lang)
        await message.answer(said, reply_markup=buttons)
        if not reply.match.suggestions and not reply.abroad:
            # Kept for the editors only if the person agrees (flows/keep_question.py).
            await offer_to_keep(message, session, recent_questions, pseudonym, text, known or reply.lang)


def _no_answer(reply: Reply, engine: AnswerEngine, lang: str) -> tuple[str, InlineKeyboardMarkup]:
    """Said honestly: another country's law is not ours to tell; plausible topics are offered as
    "Did you mean…?"; otherwise a plain "I don't know". Each ends with how to get help now."""
    if reply.abroad:
        return f"{abroad_text()}\n\n{help_now_line()}", no_answer_buttons()
    if reply.match.suggestions:
        chain = engine.chain(lang)
        titles = tuple((topic, engine.kb.title(topic, chain)) for topic in reply.match.suggestions)
        return f"{did_you_mean_text()}\n\n{help_now_line()}", suggestion_buttons(titles)
    return f"{no_answer_text()}\n\n{help_now_line()}", no_answer_buttons()


async def not_text(message: Message) -> None:
    """Voice notes, stickers, uncaptioned photos... outside a conversation with a counsellor: say what works."""
    await message.answer(
        _("I can only read text. Type your question, or choose a topic. To talk to a person: /talk"),
        reply_markup=main_menu(),
    )


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.filter(PRIVATE_CHAT)
    router.message.register(free_text, HAS_WORDS)
    router.message.register(not_text)
    return router
