"""Passing messages between a person and their counsellor: always copies (copyMessage), never
forwards, which would show the sender's name and account; and their edits, to the copy. Nothing
relayed is stored or logged: only which copy belongs to which message (storage/relayed.py)."""

from __future__ import annotations

import enum
import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest, TelegramForbiddenError
from aiogram.types import Message

log = logging.getLogger(__name__)


class Relayed(enum.Enum):
    OK = "ok"
    BLOCKED = "blocked"  # the person blocked the bot: 403
    THREAD_GONE = "thread_gone"  # the forum topic was deleted by hand
    TOPIC_CLOSED = "topic_closed"  # closed: by /close a moment ago (not committed yet), or by hand
    REFUSED = "refused"  # any other refusal (a message type that cannot be copied), or Telegram failing


async def copy(bot: Bot, *, to_chat: int, from_chat: int, message_id: int,
               thread_id: int | None = None) -> tuple[Relayed, int | None]:
    """How it went, and the copy's message id (for the message's edits to follow)."""
    try:
        copied = await bot.copy_message(chat_id=to_chat, from_chat_id=from_chat, message_id=message_id,
                                        message_thread_id=thread_id)
    except TelegramAPIError as exc:
        return _refusal(exc, "relayed"), None
    return Relayed.OK, copied.message_id


def has_words_to_edit(edited: Message) -> bool:
    """An edit worth passing on: a text, or what can carry a caption. A live location also comes as
    edits, every few seconds while it is shared: its copy is a plain location, nothing to update."""
    return edited.text is not None or any(
        (edited.photo, edited.video, edited.document, edited.audio, edited.animation, edited.voice))


async def edit_copy(bot: Bot, *, chat_id: int, copy_id: int, edited: Message) -> Relayed:
    """Make the copy say what the edited message now says: its text, or its caption. (A photo or
    file swapped for another in the edit keeps the old one in the copy: Telegram edits media only by
    sending it again.)"""
    try:
        if edited.text is not None:
            await bot.edit_message_text(chat_id=chat_id, message_id=copy_id, text=edited.text,
                                        entities=edited.entities, parse_mode=None)
        else:
            await bot.edit_message_caption(chat_id=chat_id, message_id=copy_id, caption=edited.caption or "",
                                           caption_entities=edited.caption_entities, parse_mode=None)
    except TelegramBadRequest as exc:
        if "not modified" in exc.message.lower():  # the same edit delivered twice
            return Relayed.OK
        return _refusal(exc, "edited")
    except TelegramAPIError as exc:
        return _refusal(exc, "edited")
    return Relayed.OK


def _refusal(exc: TelegramAPIError, what: str) -> Relayed:
    if isinstance(exc, TelegramForbiddenError):
        return Relayed.BLOCKED
    if isinstance(exc, TelegramBadRequest):
        reason = exc.message.lower()
        if "topic_closed" in reason:
            return Relayed.TOPIC_CLOSED
        if "thread" in reason or "topic" in reason:
            return Relayed.THREAD_GONE
        log.warning("a message could not be %s (telegram said bad request)", what)
        return Relayed.REFUSED
    # 5xx, a long 429 or the network, after the retries: say so, not lose it
    log.warning("a message could not be %s: %s", what, type(exc).__name__)
    return Relayed.REFUSED
