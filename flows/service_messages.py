"""Telegram's own notes in a chat — a message pinned, a topic renamed or closed by hand, someone
joining the counsellors' group — are not something a person or counsellor wrote: nothing to answer,
nothing to relay. Without this router they fell through to the relay ("could not be passed on") or
to "I can only read text"."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ContentType
from aiogram.types import Message

from flows.filters import Inline

# What people write. Anything else is a service message. A kind that this aiogram does not know yet
# (UNKNOWN) counts as written, so that it still gets an answer rather than silence.
WRITTEN = frozenset({
    ContentType.TEXT, ContentType.ANIMATION, ContentType.AUDIO, ContentType.DOCUMENT, ContentType.LIVE_PHOTO,
    ContentType.PAID_MEDIA, ContentType.PHOTO, ContentType.STICKER, ContentType.STORY, ContentType.VIDEO,
    ContentType.VIDEO_NOTE, ContentType.VOICE, ContentType.CHECKLIST, ContentType.CONTACT, ContentType.DICE,
    ContentType.GAME, ContentType.POLL, ContentType.VENUE, ContentType.LOCATION, ContentType.INVOICE,
    ContentType.GIVEAWAY, ContentType.GIVEAWAY_WINNERS, ContentType.RICH_MESSAGE, ContentType.UNKNOWN,
})

# Text first: nearly every update is one, and answers before the full content-type walk.
SERVICE_MESSAGE = Inline(~F.text & ~F.content_type.in_(WRITTEN))


async def ignore(message: Message) -> None:
    """Handled, on purpose, by doing nothing."""


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(ignore, SERVICE_MESSAGE)
    return router
