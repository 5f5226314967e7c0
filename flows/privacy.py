"""/privacy, /forget and /wipe: what is kept, deleting it, and erasing the chat from one's phone.

The /privacy text is built from the same settings the purge uses, so the promise and the practice
cannot drift apart.
"""

from __future__ import annotations

import logging

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from flows.filters import PRIVATE_CHAT
from flows.operator import operator_text
from handoff.desk import Desk
from storage import conversations, people
from storage.database import give_back_write_turn

log = logging.getLogger(__name__)

DELETE_BATCH = 100  # deleteMessages takes at most 100 ids


def privacy_text(settings: Settings) -> str:
    hours = settings.conversation_grace_hours
    days = settings.unanswered_retention_days
    grace = ngettext("{n} hour", "{n} hours", hours).format(n=hours)
    retention = ngettext("{n} day", "{n} days", days).format(n=days)
    return "\n\n".join(
        [
            _("<b>Your privacy</b>"),
            _(
                "• We never keep your name, username, phone number or Telegram id. We know you only by a "
                "code made from your id with a secret key, and keep with it just your language."
            ),
            _(
                "• When you talk to a counsellor, we keep the number needed to send you their replies, "
                "encrypted, while the conversation is open and {grace} after it ends. Then it is deleted. "
                "What you write to each other is passed on, never stored."
            ).format(grace=grace),
            _("• Counsellors never see your name, username or profile: they see a made-up name like “Guest K7F3”."),
            _(
                "• Questions the bot could not answer are kept for {retention} to improve the answers, with "
                "numbers, e-mail addresses, links and account names taken out. Names and places you write "
                "stay in them, so leave those out if you can."
            ).format(retention=retention),
            _("• Our reports count only numbers per day (questions, topics, languages), never people."),
            _(
                "• Telegram itself knows that your account uses this bot; we cannot change that.\n\n"
                "/forget deletes everything we keep about you. /wipe erases this chat from your phone."
            ),
            operator_text(settings),
        ]
    )


async def show_privacy(message: Message, settings: Settings) -> None:
    await message.answer(privacy_text(settings))


async def forget(message: Message, session: AsyncSession, pseudonym: str, bot: Bot, desk: Desk) -> None:
    open_ones = await conversations.forget_person(session, pseudonym)
    await people.forget(session, pseudonym)
    await give_back_write_turn(session)  # deleted now, whatever Telegram says next
    for conversation in open_ones:
        # Close its topic and tell the counsellor; the row itself is already deleted.
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
    return router
