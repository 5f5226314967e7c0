"""The counsellors' side, in their forum group: claim, talk in the topic, /close, /release, /queue."""

from __future__ import annotations

import html
import logging
from typing import Any

from aiogram import Bot, Router
from aiogram.filters import Command, Filter
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from flows.filters import NOT_A_COMMAND
from handoff.callbacks import Claim, claim_check
from handoff.curated import Say, say_phrase, say_picker, send_answer
from handoff.desk import Desk, now_utc
from handoff.notices import marked, queue_line, wait_words
from handoff.relay import Relayed, copy, edit_copy, has_words_to_edit
from storage import conversations, relayed
from storage.models import Conversation

log = logging.getLogger(__name__)

MAX_ID = 2**31  # ids are Integer columns: a bigger one in forged button data is refused before the database


class InCounsellorChat(Filter):
    async def __call__(self, event: Message | CallbackQuery, settings: Settings) -> bool:
        message = event.message if isinstance(event, CallbackQuery) else event
        return message is not None and settings.counsellor_chat_id is not None and message.chat.id == settings.counsellor_chat_id


class FromCounsellor(Filter):
    """Only configured counsellors or group members act; anyone else's press or message is refused."""

    async def __call__(self, event: Message | CallbackQuery, bot: Bot, desk: Desk) -> bool:
        user = event.from_user
        if user is None or user.is_bot:
            return False
        if await desk.access.allowed(bot, user.id):
            return True
        if isinstance(event, CallbackQuery):
            with desk.counsellor_language():
                await event.answer(_("Only counsellors can do this."), show_alert=True)
        return False


class SentAsTheGroup(Filter):
    """An admin who "remains anonymous" writes as the group: who it is cannot be known or checked."""

    async def __call__(self, message: Message) -> bool:
        return message.sender_chat is not None and message.sender_chat.id == message.chat.id


class InTopic(Filter):
    """A message in a conversation's topic: hands the conversation to the handler."""

    async def __call__(self, message: Message, session: AsyncSession) -> bool | dict[str, Any]:
        if not message.message_thread_id or not message.is_topic_message:
            return False
        conversation = await conversations.by_thread(session, message.message_thread_id)
        return {"conversation": conversation} if conversation is not None else False


async def claim(query: CallbackQuery, callback_data: Claim, session: AsyncSession, bot: Bot, desk: Desk) -> None:
    with desk.counsellor_language():
        if not 0 < callback_data.conversation < MAX_ID:
            await query.answer(_("This button is not valid."), show_alert=True)
            return
        conversation = await session.get(Conversation, callback_data.conversation)
        if conversation is not None and callback_data.check != claim_check(desk.pseudonyms, conversation):
            await query.answer(_("This button is not valid."), show_alert=True)
            return
        if conversation is None or conversation.status == "closed":
            await query.answer(_("This conversation has ended."), show_alert=True)
            return
        name = query.from_user.first_name or _("a counsellor")
        won = await desk.claim(session, conversation, query.from_user.id, name)
        if not won:
            await session.refresh(conversation)
            if conversation.status != "claimed" or not desk.is_claimer(conversation, query.from_user.id):
                await query.answer(_("{name} already has this conversation.").format(
                    name=desk.counsellor_name(conversation) or _("a counsellor")), show_alert=True)
                return
            # Pressed twice, or the press delivered again after a failure: it is theirs already.
        await query.answer(_("It is yours. Write in this topic to answer."))
        still_theirs = await desk.show_in_notice(session, bot, conversation)
        if not won or not still_theirs:  # told before; or released or ended while the notice waited
            return
    with desk.person_language(conversation):
        await desk.tell_person(bot, conversation, _("A counsellor is with you now. They do not see your name or profile."))


async def _reply(message: Message, text: str) -> None:
    """The bot's own word in the group, marked as such (see handoff/notices.py)."""
    await message.reply(marked(text))


def claimer_name(desk: Desk, conversation: Conversation) -> str:
    """Who has the conversation, for a reply in HTML: their own first name may hold any text."""
    name = desk.counsellor_name(conversation)
    return html.escape(name) if name else _("a counsellor")


async def close(message: Message, session: AsyncSession, bot: Bot, desk: Desk, conversation: Conversation) -> None:
    from handoff.person import rating_buttons

    assert message.from_user is not None
    if conversation.status == "claimed" and not desk.is_claimer(conversation, message.from_user.id):
        # Ending someone else's conversation by a /close typed in the wrong topic cannot be undone;
        # taking it over on purpose is /release, then claim.
        await _reply(message, _("{name} has this conversation: only they can close it. To take it over, /release it "
                              "first.").format(name=claimer_name(desk, conversation)))
        return
    if not await desk.close(session, bot, conversation, "counsellor", closer_id=message.from_user.id):
        await session.refresh(conversation)
        if conversation.status == "claimed":  # claimed by a colleague a moment ago
            await _reply(message, _("{name} has this conversation: only they can close it. To take it over, /release "
                                  "it first.").format(name=claimer_name(desk, conversation)))
        else:
            await _reply(message, _("This conversation was already closed."))
        return
    with desk.person_language(conversation):
        await desk.tell_person(bot, conversation,
                               _("The counsellor has closed the conversation. Did it help you? You can always start again with /talk."),
                               reply_markup=rating_buttons())


async def release(message: Message, session: AsyncSession, bot: Bot, desk: Desk, conversation: Conversation) -> None:
    if not await desk.release(session, bot, conversation):
        await _reply(message, _("Only a claimed conversation can be released."))
        return
    await _reply(message, _("Back in the queue; anyone can claim it with the new notice below."))
    with desk.person_language(conversation):
        await desk.tell_person(bot, conversation, _("Your counsellor had to hand over. Another counsellor will answer you soon."))


async def as_the_group(message: Message, desk: Desk) -> None:
    if message.message_thread_id and message.is_topic_message:  # not in the group's general chat
        with desk.counsellor_language():
            await _reply(message, _("Messages sent anonymously as the group are not passed on. Turn off “Remain "
                                  "anonymous” in your admin rights to answer here."))


QUEUE_LINES = 40  # a Telegram message holds 4096 characters


async def show_queue(message: Message, session: AsyncSession, desk: Desk, i18n_locale: str) -> None:
    now = now_utc()
    view = await conversations.overview(session, now)
    oldest = wait_words(view.oldest_wait) if view.oldest_wait else "—"
    lines = [_("Waiting: {waiting} (crisis: {crisis})\nClaimed: {claimed}\nLongest wait: {oldest}").format(
        waiting=view.waiting, crisis=view.crisis_waiting, claimed=view.claimed, oldest=oldest)]
    assert desk.group_id is not None  # only asked in the group
    listed = await conversations.open_in_order(session)
    lines += [queue_line(c, group_id=desk.group_id, title=desk.topic_title(c, i18n_locale), claimer=desk.counsellor_name(c), now=now)
              for c in listed[:QUEUE_LINES]]
    if len(listed) > QUEUE_LINES:
        lines.append("…")
    await _reply(message, "\n".join(lines))


async def relay_to_person(message: Message, session: AsyncSession, bot: Bot, desk: Desk, conversation: Conversation) -> None:
    assert message.from_user is not None
    if conversation.status == "closed":
        await _reply(message, _("This conversation is closed; the person will not see this."))
        return
    if conversation.status != "claimed":
        await _reply(message, _("Claim the conversation first (button above), then write."))
        return
    if not desk.is_claimer(conversation, message.from_user.id):
        await _reply(message, _("{name} has this conversation; only their messages are passed on.").format(
            name=claimer_name(desk, conversation)))
        return
    chat_id = desk.chat_id(conversation)
    if chat_id is None:
        await _reply(message, _("This conversation can no longer reach the person."))
        return
    result, copy_id = await copy(bot, to_chat=chat_id, from_chat=message.chat.id, message_id=message.message_id)
    if copy_id is not None:
        await relayed.remember(session, conversation.id, to_person=True, source=message.message_id, copy=copy_id)
    if result is Relayed.BLOCKED:
        # Reply first: closing also closes the topic, which then takes no more messages.
        await _reply(message, _("The person has blocked the bot; the conversation is closed."))
        await desk.close(session, bot, conversation, "blocked")
    elif result is not Relayed.OK:
        await _reply(message, _("This message could not be passed on (Telegram refused it)."))


async def relay_edit_to_person(message: Message, session: AsyncSession, bot: Bot, desk: Desk,
                               conversation: Conversation) -> None:
    """The claimer corrected a message the person already has (a wrong number, a typo): correct the
    person's copy. An edit of a message that was not passed on changes nothing: they were told then."""
    assert message.from_user is not None
    if not has_words_to_edit(message):
        return
    if conversation.status != "claimed" or not desk.is_claimer(conversation, message.from_user.id):
        return
    copy_id = await relayed.copy_of(session, conversation.id, to_person=True, source=message.message_id)
    chat_id = desk.chat_id(conversation)
    if copy_id is None or chat_id is None:
        return
    if await edit_copy(bot, chat_id=chat_id, copy_id=copy_id, edited=message) is not Relayed.OK:
        await _reply(message, _("Your change could not be passed on: the person still sees the earlier version. Send "
                              "the corrected message again."))


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.filter(InCounsellorChat())
    router.edited_message.filter(InCounsellorChat())
    router.callback_query.filter(InCounsellorChat())
    router.callback_query.register(claim, Claim.filter(), FromCounsellor())
    router.message.register(as_the_group, SentAsTheGroup())
    router.message.register(show_queue, Command("queue"), FromCounsellor())
    router.message.register(close, Command("close"), FromCounsellor(), InTopic())
    router.message.register(release, Command("release"), FromCounsellor(), InTopic())
    router.message.register(send_answer, Command("send"), FromCounsellor(), InTopic())
    router.message.register(say_picker, Command("say"), FromCounsellor(), InTopic())
    router.callback_query.register(say_phrase, Say.filter(), FromCounsellor())
    router.message.register(relay_to_person, FromCounsellor(), InTopic(), NOT_A_COMMAND)
    router.edited_message.register(relay_edit_to_person, FromCounsellor(), InTopic(), NOT_A_COMMAND)
    return router
