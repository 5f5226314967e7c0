"""Passing messages between a person and their counsellor: always copies (copyMessage), never
forwards, which would show the sender's name and account; and their edits, to the copy. Nothing
relayed is stored or logged: only which copy belongs to which message (storage/relayed.py)."""

from __future__ import annotations

import enum
import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest, TelegramForbiddenError
from aiogram.types import (
    InputMediaAnimation,
    InputMediaAudio,
    InputMediaDocument,
    InputMediaPhoto,
    InputMediaVideo,
    Message,
)

log = logging.getLogger(__name__)


class Relayed(enum.Enum):
    OK = "ok"
    BLOCKED = "blocked"  # the person blocked the bot: 403
    THREAD_GONE = "thread_gone"  # the forum topic was deleted by hand
    TOPIC_CLOSED = "topic_closed"  # closed: by /close a moment ago (not committed yet), or by hand
    REFUSED = "refused"  # any other refusal (a message type that cannot be copied), or Telegram failing


class Sharing(enum.Enum):
    """How a person's message is passed to their counsellor."""

    COPY = "copy"
    ASK = "ask"  # it can show who or where they are: only after they confirm
    WITHHELD = "withheld"  # it points to an account whatever is done: never passed on


def sharing(message: Message) -> Sharing:
    """A location, venue or contact card says where or who; a file carries its name and what is inside
    it (a photo sent as a file keeps its EXIF location). A sticker belongs to a pack that can be the
    person's own, and a forwarded story shows the account that posted it: neither is passed on."""
    if message.sticker is not None or message.story is not None:
        return Sharing.WITHHELD
    # An animation comes as a document too; it shows no name and is passed on as it is.
    if message.location or message.venue or message.contact or (message.document and not message.animation):
        return Sharing.ASK
    return Sharing.COPY


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
    """Make the copy say and show what the edited message now does: its text, or its file and caption.
    (An edit does not say what changed: a media message's file is put in again, its own file_id.)"""
    try:
        if edited.text is not None:
            await bot.edit_message_text(chat_id=chat_id, message_id=copy_id, text=edited.text,
                                        entities=edited.entities, parse_mode=None)
        elif (media := _media_as_edited(edited)) is not None:
            await _edit_media(bot, chat_id, copy_id, media, edited)
        else:
            await _edit_caption(bot, chat_id, copy_id, edited)
    except TelegramBadRequest as exc:
        if _not_modified(exc):  # the same edit delivered twice
            return Relayed.OK
        return _refusal(exc, "edited")
    except TelegramAPIError as exc:
        return _refusal(exc, "edited")
    return Relayed.OK


_InputMedia = InputMediaPhoto | InputMediaVideo | InputMediaAnimation | InputMediaAudio | InputMediaDocument


def _media_as_edited(edited: Message) -> _InputMedia | None:
    """The edited message's file and caption as editMessageMedia takes them; None for what has no
    file to swap (a voice message keeps its recording: only its caption can change)."""
    caption = {"caption": edited.caption, "caption_entities": edited.caption_entities, "parse_mode": None}
    if edited.photo:
        return InputMediaPhoto(media=edited.photo[-1].file_id, has_spoiler=edited.has_media_spoiler, **caption)
    if edited.animation:  # before document: Telegram sends an animation as both
        return InputMediaAnimation(media=edited.animation.file_id, has_spoiler=edited.has_media_spoiler, **caption)
    if edited.video:
        return InputMediaVideo(media=edited.video.file_id, has_spoiler=edited.has_media_spoiler, **caption)
    if edited.audio:
        return InputMediaAudio(media=edited.audio.file_id, **caption)
    if edited.document:
        return InputMediaDocument(media=edited.document.file_id, **caption)
    return None


async def _edit_media(bot: Bot, chat_id: int, copy_id: int, media: _InputMedia, edited: Message) -> None:
    try:
        await bot.edit_message_media(chat_id=chat_id, message_id=copy_id, media=media)
    except TelegramBadRequest as exc:
        if not _not_modified(exc):
            raise
        # The same file: only the caption can have changed, should Telegram not count that as a change.
        await _edit_caption(bot, chat_id, copy_id, edited)


async def _edit_caption(bot: Bot, chat_id: int, copy_id: int, edited: Message) -> None:
    await bot.edit_message_caption(chat_id=chat_id, message_id=copy_id, caption=edited.caption or "",
                                   caption_entities=edited.caption_entities, parse_mode=None)


def _not_modified(exc: TelegramBadRequest) -> bool:
    return "not modified" in exc.message.lower()


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
