"""Curated help for counsellors who do not speak the person's language: /send <topic> sends the
knowledge base's answer in the person's language, /say a counsellor phrase (knowledge/phrases/).
Both are content written and checked by the team, never generated; the counsellor sees what was
sent in their own language."""

from __future__ import annotations

import html

from aiogram import Bot
from aiogram.filters import CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InaccessibleMessage, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from flows.answer_view import answer_text
from handoff.desk import Desk
from handoff.notices import marked
from knowledge.counsellor_phrases import PHRASE_IDS
from knowledge.engine import KnowledgeHolder
from knowledge.topics import TOPIC_IDS
from storage.models import Conversation

MAX_ID = 2**31
TELEGRAM_TEXT_LIMIT = 4096


class Say(CallbackData, prefix="say"):
    conversation: int
    phrase: str


async def _reply(message: Message, text: str) -> None:
    await message.reply(marked(text))


def _refusal(desk: Desk, conversation: Conversation, counsellor_id: int) -> str | None:
    """Why this counsellor cannot send to the person now; None if they can."""
    if conversation.status == "closed":
        return _("This conversation is closed; the person will not see this.")
    if conversation.status != "claimed":
        return _("Claim the conversation first, then send.")
    if not desk.is_claimer(conversation, counsellor_id):
        name = desk.counsellor_name(conversation)
        return _("{name} has this conversation; only they can send to the person.").format(
            name=html.escape(name) if name else _("a counsellor")
        )
    return None


def _topic_asked(kb: KnowledgeHolder, words: str, language: str) -> str | None:
    """A topic id as written, or the topic the knowledge base matches the words to."""
    words = words.strip()
    if words in TOPIC_IDS:
        return words
    reply = kb.engine.ask(words, language)
    return reply.answer.topic_id if reply.answer is not None and reply.crisis is None else None


async def send_answer(
    message: Message,
    command: CommandObject,
    bot: Bot,
    desk: Desk,
    kb: KnowledgeHolder,
    conversation: Conversation,
    i18n_locale: str,
) -> None:
    assert message.from_user is not None
    if (why := _refusal(desk, conversation, message.from_user.id)) is not None:
        await _reply(message, why)
        return
    topic = _topic_asked(kb, command.args or "", i18n_locale) if command.args else None
    if topic is None:
        await _reply(
            message,
            _(
                "Write what to send after /send: a topic id such as health.pep, or a few words "
                "such as “pregnancy test”."
            ),
        )
        return
    base = kb.engine.kb
    with desk.person_language(conversation):
        theirs = base.answer(topic, [conversation.language])
        if theirs is None:
            await _reply(message, _("There is no answer on this topic yet."))
            return
        sent = await desk.tell_person(bot, conversation, answer_text(theirs, ask_feedback=False))
    if not sent:
        await _reply(message, _("This message could not be passed on (Telegram refused it)."))
        return
    yours = base.answer(topic, [i18n_locale])
    head = _("Sent to the person in their language: “{title}”. What it says:").format(
        title=html.escape(theirs.title if yours is None else yours.title)
    )
    text = head if yours is None else f"{head}\n\n{answer_text(yours, ask_feedback=False)}"
    await _reply(message, text if len(text) < TELEGRAM_TEXT_LIMIT - 40 else head)


def _phrase_picker(kb: KnowledgeHolder, conversation: Conversation, language: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for phrase_id in PHRASE_IDS:
        text = kb.engine.kb.phrase(phrase_id, language)
        if text is not None:
            builder.button(text=text, callback_data=Say(conversation=conversation.id, phrase=phrase_id))
    builder.adjust(1)
    return builder.as_markup()


async def say_picker(
    message: Message, desk: Desk, kb: KnowledgeHolder, conversation: Conversation, i18n_locale: str
) -> None:
    assert message.from_user is not None
    if (why := _refusal(desk, conversation, message.from_user.id)) is not None:
        await _reply(message, why)
        return
    await message.reply(
        marked(_("Choose a sentence: the person gets it in their language.")),
        reply_markup=_phrase_picker(kb, conversation, i18n_locale),
    )


async def say_phrase(
    query: CallbackQuery,
    callback_data: Say,
    session: AsyncSession,
    bot: Bot,
    desk: Desk,
    kb: KnowledgeHolder,
    i18n_locale: str,
) -> None:
    conversation = (
        await session.get(Conversation, callback_data.conversation)
        if 0 < callback_data.conversation < MAX_ID
        else None
    )
    if conversation is None or callback_data.phrase not in PHRASE_IDS:
        await query.answer(_("This button is not valid."), show_alert=True)
        return
    if (why := _refusal(desk, conversation, query.from_user.id)) is not None:
        await query.answer(html.unescape(why), show_alert=True)  # an alert shows no markup
        return
    theirs = kb.engine.kb.phrase(callback_data.phrase, conversation.language)
    yours = kb.engine.kb.phrase(callback_data.phrase, i18n_locale)
    if theirs is None or not await desk.tell_person(bot, conversation, theirs):
        await query.answer(_("This message could not be passed on (Telegram refused it)."), show_alert=True)
        return
    await query.answer(_("Sent."))
    if query.message is not None and not isinstance(query.message, InaccessibleMessage):
        await bot.send_message(
            query.message.chat.id,
            marked(_("Sent to the person in their language: “{phrase}”").format(phrase=yours or theirs)),
            message_thread_id=conversation.thread_id,
        )
