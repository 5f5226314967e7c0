"""Flood control: someone sending very fast is slowed with a polite notice. The message over the
limit is not handled, and the person is told so — nothing is dropped silently. Two exceptions: danger
(the crisis check) always goes through, and a shared live location moving (Telegram sends it as an
edit every few seconds, and the bot passes none of them on) does not count."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import Message, TelegramObject
from aiogram.utils.i18n import gettext as _

from handoff.relay import has_words_to_edit

WINDOW_SECONDS = 60.0


class FloodControl(BaseMiddleware):
    """Per person (pseudonym), in memory: a sliding window of message times."""

    def __init__(self, per_minute: int, is_danger: Callable[[str], bool] = lambda text: False) -> None:
        self.per_minute = per_minute
        self.is_danger = is_danger
        self._recent: dict[str, deque[float]] = {}
        self._warned: dict[str, float] = {}

    def _over_limit(self, key: str, now: float) -> bool:
        times = self._recent.setdefault(key, deque())
        while times and now - times[0] > WINDOW_SECONDS:
            times.popleft()
        if len(times) >= self.per_minute:
            return True
        times.append(now)
        if len(self._recent) > 10_000:  # forget idle people so memory stays bounded
            for idle in [k for k, v in self._recent.items() if not v or now - v[-1] > WINDOW_SECONDS]:
                del self._recent[idle]
        return False

    async def __call__(self, handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
                       event: TelegramObject, data: dict[str, Any]) -> Any:
        pseudonym = data.get("pseudonym")
        if not isinstance(event, Message) or pseudonym is None:
            return await handler(event, data)
        if event.edit_date is not None and not has_words_to_edit(event):
            return await handler(event, data)  # a live location moving: nothing is passed on
        now = time.monotonic()
        if not self._over_limit(pseudonym, now):
            return await handler(event, data)
        words = event.text or event.caption
        if words and self.is_danger(words):
            return await handler(event, data)
        if now - self._warned.get(pseudonym, 0.0) > 5.0:
            self._warned[pseudonym] = now
            await event.answer(_("You are sending messages very fast. Please wait a few seconds; messages sent "
                                 "in the meantime are not passed on, so send them again after."))
        return None
