"""Who may act as a counsellor: configured COUNSELLOR_IDS, or members of the counsellors' group,
asked from Telegram every time: someone removed from the group loses access at once. Only a "no" is
remembered, for a minute, so a stranger's presses do not each cost a call to Telegram."""

from __future__ import annotations

import time

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError

from bot.config import Settings

MEMBER_STATUSES = {"creator", "administrator", "member"}
CACHE_SECONDS = 60.0
MAX_REMEMBERED = 10_000


class CounsellorAccess:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._refused: dict[int, float] = {}

    async def allowed(self, bot: Bot, user_id: int) -> bool:
        if self.settings.is_counsellor(user_id):
            return True
        chat_id = self.settings.counsellor_chat_id
        if chat_id is None:
            return False
        refused_at = self._refused.get(user_id)
        if refused_at is not None and time.monotonic() - refused_at < CACHE_SECONDS:
            return False
        try:
            member = await bot.get_chat_member(chat_id, user_id)
            ok = member.status in MEMBER_STATUSES
        except TelegramAPIError:
            ok = False
        if ok:
            self._refused.pop(user_id, None)
        else:
            self._refused[user_id] = time.monotonic()
            if len(self._refused) > MAX_REMEMBERED:  # in memory only, and bounded
                self._refused.pop(next(iter(self._refused)))
        return ok
