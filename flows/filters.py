"""Filters checked on nearly every update, as async filters. aiogram runs a plain callable — a magic
filter (`F.chat.type == ...`) included — in a worker thread, one thread hop per check per update;
`Inline` evaluates the same magic filter on the event loop instead."""

from __future__ import annotations

from typing import Any

from aiogram import F
from aiogram.filters import Filter
from magic_filter import MagicFilter


class Inline(Filter):
    def __init__(self, magic: MagicFilter) -> None:
        self.magic = magic

    async def __call__(self, event: Any) -> Any:
        return self.magic.resolve(event)


PRIVATE_CHAT = Inline(F.chat.type == "private")  # messages in a private chat with the bot
PRESS_IN_PRIVATE_CHAT = Inline(F.message.chat.type == "private")  # button presses under such messages
HAS_WORDS = Inline(F.text | F.caption)  # a text, or a photo's or file's caption
NOT_A_COMMAND = Inline(~F.text.startswith("/"))
