"""/privacy, /forget and /wipe: what is kept, deleting it, and erasing the chat from one's phone.

The /privacy text is built from the same settings the purge uses, so the promise and the practice
cannot drift apart.
"""

from __future__ import annotations

import logging
import math

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from flows.desk_protocol import Desk
from flows.filters import PRESS_IN_PRIVATE_CHAT, PRIVATE_CHAT
from flows.keep_question import KeepQuestion, keep_question
from flows.operator import operator_text
from storage import conversations, people
from storage.erasure import erase_deleted

log = logging.getLogger(__name__)

DELETE_BATCH = 100  # deleteMessages takes at most 100 ids


def privacy_text(settings: Settings) -> str:
    hours = settings.conversation_grace_hours
    grace = ngettext("{n} hour", "{n} hours", hours).format(n=hours)
    retention = _days(settings.unanswered_retention_days)
    inactive = _days(settings.inactive_people_days)
    return "\n\n".join(
        [
            _("<b>Your privacy</b>"),
            _(
                "• We never keep your name, username, phone number or Telegram id. We know you only by a "
                "code made from your id with a secret key, and keep with it just your language and, for /wipe, "
                "the number of the first message of this chat's last 48 hours and the hour you last wrote. "
                "All of it is deleted after {inactive} without a message from you."
            ).format(inactive=inactive),
            _(
                "• When you talk to a counsellor, we keep the number needed to send you their replies, "
                "encrypted, while the conversation is open and at most {minutes} min after it ends. What you "
                "write to each other is passed on, never stored. {grace} after it ends, its record (message "
                "numbers, no words) is deleted, and so is its topic in the counsellors' group, with every "
                "message in it."
            ).format(grace=grace, minutes=chat_id_minutes(settings)),
            _("• Counsellors never see your name, username or profile: they see a made-up name like “Guest K7F3”."),
            _(
                "• When the bot cannot answer, it asks whether it may keep your question for an editor. Only "
                "if you say yes is it kept, for {retention}, with numbers, e-mail addresses, links, account "
                "names and what looks like a name or address taken out. Nothing you write during or right "
                "after a conversation with a counsellor is kept."
            ).format(retention=retention),
            _("• Our reports count only numbers per day (questions, topics, languages), never people."),
            _(
                "• Telegram itself knows that your account uses this bot; we cannot change that.\n\n"
                "/wipe erases this chat from your phone (the last 48 hours, as far as Telegram allows). "
                "/forget deletes everything we keep about you, your conversation and its topic in the "
                "counsellors' group included."
            ),
            operator_text(settings),
        ]
    )


def chat_id_minutes(settings: Settings) -> int:
    """At most this long after a conversation ends, its encrypted chat id is gone (handoff/purge.py)."""
    return math.ceil((settings.purge_interval_seconds + conversations.CHAT_ID_AFTER_CLOSE.total_seconds()) / 60)


def _days(days: int) -> str:
    return ngettext("{n} day", "{n} days", days).format(n=days)


async def show_privacy(message: Message, settings: Settings) -> None:
    await message.answer(privacy_text(settings))


async def forget(message: Message, session: AsyncSession, pseudonym: str, bot: Bot, desk: Desk) -> None:
    theirs = await conversations.forget_person(session, pseudonym)
    await people.forget(session, pseudonym)
    await session.commit()  # deleted now, whatever Telegram says next
    await erase_deleted(session.bind)  # and gone from SQLite's log on the disk
    for conversation in theirs:
        # Its topic goes with every message in it; the row itself is already deleted.
        await desk.close_topic_after_forget(bot, conversation)
    await message.answer(
        _("Done: everything we kept about you is deleted (your language choice and any open conversation).")
    )


async def wipe(message: Message, bot: Bot, session: AsyncSession, pseudonym: str) -> None:
    """Delete every message Telegram still lets the bot delete in this chat (the last 48 hours)."""
    ids = people.wipe_ids(await people.wipe_range_start(session, pseudonym), message.message_id)
    failures = 0
    for start in range(0, len(ids), DELETE_BATCH):
        try:
            await bot.delete_messages(message.chat.id, ids[start : start + DELETE_BATCH])
        except TelegramAPIError as exc:
            failures += 1
            log.warning("wipe: a batch could not be deleted: %s", type(exc).__name__)
    note = await message.answer(
        _("This chat is erased as far as Telegram allows (messages of the last 48 hours). Type /start to begin again.")
        if not failures
        else _("Part of this chat could not be erased. Older messages can be deleted in Telegram itself.")
    )
    await people.note_message_after_wipe(session, pseudonym, note.message_id)


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.filter(PRIVATE_CHAT)
    router.message.register(show_privacy, Command("privacy"))
    router.message.register(forget, Command("forget"))
    router.message.register(wipe, Command("wipe"))
    router.callback_query.register(keep_question, KeepQuestion.filter(), PRESS_IN_PRIVATE_CHAT)
    return router
