"""Who may act as a counsellor: configured COUNSELLOR_IDS, or members of the counsellors' group
(asked from Telegram, remembered for a minute)."""

from __future__ import annotations

import time

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError

from bot.config import Settings

MEMBER_STATUSES = {"creator", "administrator", "member"}
CACHE_SECONDS = 60.0


class CounsellorAccess:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._cache: dict[int, tuple[float, bool]] = {}

    async def allowed(self, bot: Bot, user_id: int) -> bool:
        if self.settings.is_counsellor(user_id):
            return True
        chat_id = self.settings.counsellor_chat_id
        if chat_id is None:
            return False
        cached = self._cache.get(user_id)
        if cached and time.monotonic() - cached[0] < CACHE_SECONDS:
            return cached[1]
        try:
            member = await bot.get_chat_member(chat_id, user_id)
            ok = member.status in MEMBER_STATUSES
        except TelegramAPIError:
            ok = False
        self._cache[user_id] = (time.monotonic(), ok)
        return ok
