"""Passing messages between a person and their counsellor: always copies (copyMessage), never
forwards, which would show the sender's name and account; and their edits, to the copy. Nothing
relayed is stored or logged: only which copy belongs to which message (storage/relayed.py)."""

from __future__ import annotations

import enum
import logging
import re
import time
from collections import OrderedDict
from dataclasses import dataclass

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest, TelegramForbiddenError
from aiogram.types import (
    BufferedInputFile,
    InputMediaAnimation,
    InputMediaAudio,
    InputMediaDocument,
    InputMediaPhoto,
    InputMediaVideo,
    Message,
    MessageEntity,
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


@dataclass(frozen=True)
class _File:
    at: float
    file_id: str
    suffix: str
    caption: str | None
    caption_entities: list[MessageEntity] | None


class FilesAwaitingConsent:
    """A person's document between "Send it?" and their answer, in memory only: relayed then under a
    neutral name (a name like "passport_jess_vermeulen.pdf" says who they are). Bounded and short-lived;
    an answer that reaches another instance finds nothing here, and the file is not passed on."""

    def __init__(self) -> None:
        self._files: OrderedDict[tuple[int, int], _File] = OrderedDict()

    def remember(self, message: Message) -> None:
        document = message.document
        if document is None:
            return
        name = document.file_name or ""
        suffix = "." + name.rsplit(".", 1)[1].lower() if "." in name else ""
        self._files[(message.chat.id, message.message_id)] = _File(
            time.monotonic(), document.file_id, suffix if _SUFFIX.fullmatch(suffix) else "", message.caption,
            message.caption_entities)
        while len(self._files) > FILES_KEPT or (self._files and self._expired(next(iter(self._files.values())))):
            self._files.popitem(last=False)

    def _expired(self, file: _File) -> bool:
        return time.monotonic() - file.at > FILE_WAITS_SECONDS

    def get(self, chat_id: int, message_id: int) -> _File | None:
        file = self._files.get((chat_id, message_id))
        return file if file is not None and not self._expired(file) else None

    def drop(self, chat_id: int, message_id: int) -> None:
        self._files.pop((chat_id, message_id), None)


_SUFFIX = re.compile(r"\.[a-z0-9]{1,5}")  # ".pdf", ".jpeg": the kind of file, nothing more
FILES_KEPT = 1000
FILE_WAITS_SECONDS = 15 * 60
NEUTRAL_NAME = "document"
files_awaiting_consent = FilesAwaitingConsent()


async def copy(bot: Bot, *, to_chat: int, from_chat: int, message_id: int,
               thread_id: int | None = None) -> tuple[Relayed, int | None]:
    """How it went, and the copy's message id (for the message's edits to follow). A person's document
    (remembered when they were asked) goes under a neutral name instead of as a copy."""
    file = files_awaiting_consent.get(from_chat, message_id)
    try:
        if file is not None:
            copied = await _send_without_name(bot, to_chat, thread_id, file)
            files_awaiting_consent.drop(from_chat, message_id)
        else:
            copied = await bot.copy_message(chat_id=to_chat, from_chat_id=from_chat, message_id=message_id,
                                            message_thread_id=thread_id)
    except TelegramAPIError as exc:
        return _refusal(exc, "relayed"), None
    return Relayed.OK, copied.message_id


async def _send_without_name(bot: Bot, to_chat: int, thread_id: int | None, file: _File) -> Message:
    """Telegram keeps a file's name with its file_id: the bytes are fetched and sent again, named
    "document" plus the kind of file. (What is inside the file travels as it is.)"""
    content = await bot.download(file.file_id)
    assert content is not None
    return await bot.send_document(
        to_chat, BufferedInputFile(content.getvalue(), filename=NEUTRAL_NAME + file.suffix),
        caption=file.caption, caption_entities=file.caption_entities, parse_mode=None,
        message_thread_id=thread_id)


def has_words_to_edit(edited: Message) -> bool:
    """An edit worth passing on: a text, or what can carry a caption. A live location also comes as
    edits, every few seconds while it is shared: its copy is a plain location, nothing to update."""
    return edited.text is not None or any(
        (edited.photo, edited.video, edited.document, edited.audio, edited.animation, edited.voice))


async def edit_copy(bot: Bot, *, chat_id: int, copy_id: int, edited: Message, file_names: bool = True) -> Relayed:
    """Make the copy say and show what the edited message now does: its text, or its file and caption.
    (An edit does not say what changed: a media message's file is put in again, its own file_id.)
    `file_names` False (a person's edits): a document's file is not put in again, as that would show
    its name; only its caption follows."""
    try:
        if edited.text is not None:
            await bot.edit_message_text(chat_id=chat_id, message_id=copy_id, text=edited.text,
                                        entities=edited.entities, parse_mode=None)
        elif (media := _media_as_edited(edited)) is not None and (file_names or not edited.document
                                                                   or edited.animation):
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
