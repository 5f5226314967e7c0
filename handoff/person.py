"""The person's side of a handoff: /talk and its buttons, relaying what they send, /end, rating."""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command, Filter
from aiogram.types import CallbackQuery, InaccessibleMessage, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.outbound_priority import Priority, outbound_priority
from flows.callbacks import TalkRequest
from flows.crisis import crisis_text, message_received
from flows.filters import NOT_A_COMMAND, PRESS_IN_PRIVATE_CHAT, PRIVATE_CHAT
from handoff.callbacks import Rate, ShareConfirm
from handoff.desk import Desk, now_utc
from handoff.queue_estimate import queue_words
from handoff.relay import (
    Relayed,
    Sharing,
    copy,
    edit_copy,
    files_awaiting_consent,
    has_words_to_edit,
    sharing,
)
from handoff.waiting import answer_while_waiting
from knowledge.base import render_service
from knowledge.crisis import CrisisHit
from knowledge.engine import KnowledgeHolder
from knowledge.topics import TOPIC_IDS
from storage import conversations, relayed, stats
from storage.conversations import RelayTarget
from storage.models import Conversation

log = logging.getLogger(__name__)


class InConversation(Filter):
    """Passes when the person has an open conversation, and hands the handler where to relay to."""

    async def __call__(self, event: Any, session: AsyncSession, pseudonym: str | None = None,
                       in_conversation: bool | None = None) -> bool | dict[str, Any]:
        if pseudonym is None or in_conversation is False:  # known from reading the person (bot/middlewares.py)
            return False
        target = await conversations.relay_target(session, pseudonym)
        return {"target": target} if target is not None else False


async def confirmation_text(desk: Desk, session: AsyncSession, conversation: Conversation, kb: KnowledgeHolder) -> str:
    if conversation.status == "claimed":
        return _("You are talking with a counsellor. Write here; /end ends the conversation.")
    availability = desk.settings.hours().availability(now_utc())
    if availability.open:
        return "\n\n".join([
            _("A counsellor will answer you here, anonymously: they do not see your name or profile."),
            await queue_words(desk, session, conversation),
            _("You can already write your question; /end cancels."),
        ])
    # Out of hours: the number for danger first, then one line on when the message is read (no
    # weekday table before the numbers; a crisis reply has just given the numbers for its danger).
    services = kb.engine.kb.services
    danger = _("In danger now? Call:") + "\n" + "\n".join(
        f"• {render_service(services[s], conversation.language)}" for s in ("emergency_112",) if s in services)
    when = availability.when(conversation.language)
    if when is None:
        leave = _("Our counsellors are not online right now. Write your message below: it is read first when they "
                  "are back, and answered here. /end cancels.")
    else:
        leave = _("Our counsellors are not online right now. Write your message below: the next counsellor reads it "
                  "on {day} at {time} ({timezone} time) and answers you here. /end cancels.").format(**when)
    return "\n\n".join([danger, leave])


async def start_talk(
    message_or_query: Message | CallbackQuery, *, session: AsyncSession, bot: Bot, desk: Desk, kb: KnowledgeHolder,
    pseudonym: str, chat_id: int, language: str, topic: str, crisis: bool,
) -> Conversation:
    conversation, _new = await desk.open(session, bot, pseudonym=pseudonym, chat_id=chat_id, language=language,
                                         topic=topic, crisis=crisis)
    text = await confirmation_text(desk, session, conversation, kb)
    await bot.send_message(chat_id, text)
    return conversation


async def talk_command(message: Message, session: AsyncSession, bot: Bot, desk: Desk, kb: KnowledgeHolder,
                       pseudonym: str, i18n_locale: str) -> None:
    await start_talk(message, session=session, bot=bot, desk=desk, kb=kb, pseudonym=pseudonym,
                     chat_id=message.chat.id, language=i18n_locale, topic="", crisis=False)


async def talk_button(query: CallbackQuery, callback_data: TalkRequest, session: AsyncSession, bot: Bot, desk: Desk,
                      kb: KnowledgeHolder, pseudonym: str, i18n_locale: str) -> None:
    crisis = callback_data.topic == "crisis"
    topic = callback_data.topic if callback_data.topic in TOPIC_IDS else ""
    # Danger goes before the group's other traffic (bot/outbound.py): the topic, the notice, the message.
    with outbound_priority(Priority.CRISIS if crisis else Priority.NOTICE):
        conversation = await start_talk(query, session=session, bot=bot, desk=desk, kb=kb, pseudonym=pseudonym,
                                        chat_id=query.from_user.id, language=i18n_locale, topic=topic, crisis=crisis)
        if crisis and callback_data.kind:  # which danger, and the person's message that raised it
            await desk.flag_danger(bot, conversation, callback_data.kind, from_chat=query.from_user.id,
                                   message_id=callback_data.source or None)
    # Answered last: should the talk fail, the error's alert is this press's answer. Answered late
    # (a long 429 on the way), Telegram refuses it; the conversation stands all the same.
    with contextlib.suppress(TelegramAPIError):
        await query.answer()


def rating_buttons() -> Any:
    kb = InlineKeyboardBuilder()
    kb.button(text="👍", callback_data=Rate(helpful=True))
    kb.button(text="👎", callback_data=Rate(helpful=False))
    return kb.as_markup()


async def end_command(message: Message, session: AsyncSession, bot: Bot, desk: Desk, pseudonym: str) -> None:
    conversation = await conversations.open_for_person(session, pseudonym)
    if conversation is None:
        await message.answer(_("You have no open conversation. To talk to a counsellor: /talk"))
        return
    with desk.counsellor_language():
        note = _("The person ended the conversation.")
    await desk.close(session, bot, conversation, "person", topic_note=note)
    await message.answer(_("The conversation has ended. Did it help you?"), reply_markup=rating_buttons())


async def rate(query: CallbackQuery, callback_data: Rate, session: AsyncSession, i18n_locale: str) -> None:
    await stats.count(session, "rating_up" if callback_data.helpful else "rating_down", language=i18n_locale)
    if query.message and not isinstance(query.message, InaccessibleMessage):
        await query.message.edit_reply_markup(reply_markup=None)
    await query.answer(_("Thank you!"))


async def relay_from_person(message: Message, bot: Bot, desk: Desk, target: RelayTarget,
                            session: AsyncSession, kb: KnowledgeHolder, i18n_locale: str) -> None:
    words = message.text or message.caption
    answered = False  # a crisis reply out of hours already says the message was received
    if words and (hit := kb.engine.crisis.check(words)) is not None:
        answered = await _danger_in_conversation(message, desk, bot, target, session, kb, hit)
    how = sharing(message)
    if how is Sharing.WITHHELD:
        await message.answer(_("Stickers and shared stories are not passed on: they can point to an account. "
                               "Please write it in words."))
        return
    if how is Sharing.ASK:
        kb = InlineKeyboardBuilder()
        kb.button(text=_("Send it"), callback_data=ShareConfirm(message_id=message.message_id, send=True))
        kb.button(text=_("Don't send"), callback_data=ShareConfirm(message_id=message.message_id, send=False))
        files_awaiting_consent.remember(message)  # a document: sent under a neutral name if they say yes
        question = (_("A file can show who you are: its name, and details inside it (such as where a photo was "
                      "taken). Send it to the counsellor anyway?") if message.document else
                    _("A location or contact card can show who or where you are. Send it to the counsellor anyway?"))
        await message.answer(question, reply_markup=kb.as_markup())
        return
    if await _copy_to_topic(message.chat.id, message.message_id, bot, desk, target, session):
        if not answered:
            await _acknowledge_if_left(message.chat.id, bot, desk, target, session)
        await answer_while_waiting(message, session, kb, target.id, i18n_locale)


async def _acknowledge_if_left(chat_id: int, bot: Bot, desk: Desk, target: RelayTarget, session: AsyncSession) -> None:
    """Out of hours nobody answers for a while: every message left is acknowledged with one short line,
    so the person knows it arrived, when it is read, and what to do in danger meanwhile."""
    availability = desk.settings.hours().availability(now_utc())
    if availability.open:
        return
    conversation = await session.get(Conversation, target.id)
    if conversation is None or conversation.status != "waiting":  # a counsellor working late has it
        return
    await bot.send_message(chat_id, message_received(availability, conversation.language))


async def _danger_in_conversation(message: Message, desk: Desk, bot: Bot, target: RelayTarget, session: AsyncSession,
                                kb: KnowledgeHolder, hit: CrisisHit) -> bool:
    """Danger written in an open conversation: it moves to the front of the queue (🆘 in its topic),
    and until a counsellor has it the person gets the numbers at once, as outside a conversation.
    True if the person was answered."""
    conversation = await session.get(Conversation, target.id)
    if conversation is None:
        return False
    log.info("crisis in a conversation (%s)", hit.kind)  # the kind only, never the words
    await desk.escalate(session, bot, conversation)
    await desk.flag_danger(bot, conversation, hit.kind)  # the message itself is relayed next
    if conversation.status != "waiting":
        return False
    availability = desk.settings.hours().availability(now_utc())
    text = crisis_text(hit, kb.engine.kb, conversation.language, availability=availability, in_queue=True)
    if availability.open:  # their real place: two in danger are not both first
        text += "\n\n" + await queue_words(desk, session, conversation)
    await message.answer(text)
    return True


async def _copy_to_topic(chat_id: int, message_id: int, bot: Bot, desk: Desk, target: RelayTarget,
                         session: AsyncSession) -> bool:
    """Copy the person's message into their conversation's topic; True if it arrived (if not, they
    have been told why)."""
    assert desk.group_id is not None
    if target.thread_id is None:  # its topic could not be opened yet: never into the group's general chat
        result, copy_id = Relayed.THREAD_GONE, None
    else:
        result, copy_id = await copy(bot, to_chat=desk.group_id, from_chat=chat_id, message_id=message_id,
                                     thread_id=target.thread_id)
    if result in (Relayed.THREAD_GONE, Relayed.TOPIC_CLOSED):
        # As the conversation is now: a /close may have been committed since it was looked up.
        conversation = await session.get(Conversation, target.id, populate_existing=True)
        if conversation is None or conversation.status not in conversations.OPEN:
            await bot.send_message(chat_id, _("You have no open conversation. To talk to a counsellor: /talk"))
            return False
        # Deleted by hand: a new topic. Closed by hand while the conversation is still open: opened
        # again, or the person would be told "try again" for every message while nobody reads them.
        if result is Relayed.THREAD_GONE:
            await desk.open_missing_topic(session, bot, conversation)
            reopened = True
        else:
            reopened = await desk.reopen_closed_topic(bot, conversation)
        if reopened:
            result, copy_id = await copy(bot, to_chat=desk.group_id, from_chat=chat_id, message_id=message_id,
                                         thread_id=conversation.thread_id)
    if result is not Relayed.OK:
        await bot.send_message(chat_id, _("This message could not be passed on. Please try again, or send it as text."))
        return False
    if copy_id is not None:
        await relayed.remember(session, target.id, to_person=False, source=message_id, copy=copy_id)
    return True


async def relay_edit_from_person(message: Message, bot: Bot, desk: Desk, target: RelayTarget,
                                 session: AsyncSession) -> None:
    """The person corrected a message they sent during the conversation: correct the counsellor's copy."""
    assert desk.group_id is not None
    if not has_words_to_edit(message):
        return
    copy_id = await relayed.copy_of(session, target.id, to_person=False, source=message.message_id)
    if copy_id is None:  # not relayed (a command, a declined location), or before this conversation
        return
    if await edit_copy(bot, chat_id=desk.group_id, copy_id=copy_id, edited=message, file_names=False) \
            is not Relayed.OK:
        await message.reply(_("Your change to this message could not be passed on. Please send the corrected "
                              "message again."))


async def share_confirm(query: CallbackQuery, callback_data: ShareConfirm, bot: Bot, desk: Desk,
                        target: RelayTarget, session: AsyncSession) -> None:
    if query.message and not isinstance(query.message, InaccessibleMessage):
        await query.message.edit_reply_markup(reply_markup=None)
    if callback_data.send:
        if await _copy_to_topic(query.from_user.id, callback_data.message_id, bot, desk, target, session):
            await query.answer(_("Sent."))
            await _acknowledge_if_left(query.from_user.id, bot, desk, target, session)
        else:
            await query.answer()  # the chat already says why it was not passed on
    else:
        await query.answer(_("Not sent."))


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.filter(PRIVATE_CHAT)
    router.edited_message.filter(PRIVATE_CHAT)
    router.callback_query.filter(PRESS_IN_PRIVATE_CHAT)
    router.message.register(talk_command, Command("talk"))
    router.message.register(end_command, Command("end"))
    router.callback_query.register(talk_button, TalkRequest.filter())
    router.callback_query.register(rate, Rate.filter())
    router.callback_query.register(share_confirm, ShareConfirm.filter(), InConversation())
    # Everything else a person sends while a conversation is open goes to their counsellor,
    # except commands, which keep working (/privacy, /wipe...).
    router.message.register(relay_from_person, InConversation(), NOT_A_COMMAND)
    router.edited_message.register(relay_edit_from_person, InConversation())
    return router
