"""Telegram's flood limits kept by the bot: every call that puts a message in a chat waits for that
chat's budget, and the budget goes by priority (bot/outbound_priority.py) — danger first, then the
notices of new conversations, then relays, then cosmetic edits — in arrival order within a priority.

Telegram lets a bot post about 20 messages a minute into one group, about one a second into one chat
and about 30 a second overall, and answers 429 with a `retry_after` past that. Left to the retry
middleware alone, every call would find out by failing, the waiters told the same `retry_after`
would wake together in any order, and a crisis notice would queue behind a busy evening's relays.
Here each chat has a token bucket (and one for the whole bot); a 429 that still comes (another
instance spent the same group's budget) pauses that chat's bucket for the time Telegram gave.
A session request middleware: aiogram's public seam for this, as python-telegram-bot's AIORateLimiter.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import time
from collections.abc import Callable
from typing import Any

from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType

from bot.admission import turn_given_up
from bot.metrics import OUTBOUND_OLDEST_SECONDS, OUTBOUND_WAITING
from bot.outbound_priority import Priority, current_priority

GROUP_PER_MINUTE = 20
PRIVATE_PER_SECOND = 1.0
PRIVATE_BURST = 3
OVERALL_PER_SECOND = 30
PRUNE_EVERY_SECONDS = 60.0

# Calls that put a message in a chat (or open or close a forum topic, which posts one).
_COUNTED_PREFIXES = ("Send", "Copy", "Forward", "Edit")
_COUNTED = {"CreateForumTopic", "CloseForumTopic", "ReopenForumTopic"}
_NOT_COUNTED = {"SendChatAction", "EditForumTopic"}


def counted(name: str, chat_id: object) -> bool:
    if not isinstance(chat_id, int) or name in _NOT_COUNTED:
        return False
    if name.startswith("Edit") and chat_id > 0:
        return False  # a menu edited in place in a private chat
    return name in _COUNTED or name.startswith(_COUNTED_PREFIXES)


class Budget:
    """A token bucket whose tokens go to the waiters by (priority, arrival)."""

    def __init__(self, capacity: float, per_second: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity, self.per_second, self._clock = capacity, per_second, clock
        self._tokens = capacity
        self._updated = clock()
        self._paused_until = 0.0
        self._waiting: list[tuple[int, int, float]] = []  # (priority, arrival number, since)
        self._arrivals = itertools.count()
        self._changed = asyncio.Condition()

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    def oldest_wait(self) -> float:
        return max((self._clock() - since for _, _, since in self._waiting), default=0.0)

    def idle(self) -> bool:
        """Nobody waiting, not paused, and full again: as if it had never been used."""
        now = self._refill()
        return not self._waiting and now >= self._paused_until and self._tokens >= self.capacity

    def _refill(self) -> float:
        now = self._clock()
        self._tokens = min(self.capacity, self._tokens + (now - self._updated) * self.per_second)
        self._updated = now
        return now

    def _wait_for_token(self, now: float) -> float:
        if now < self._paused_until:
            return self._paused_until - now
        return 0.0 if self._tokens >= 1 else (1 - self._tokens) / self.per_second

    async def take(self, priority: int) -> None:
        entry = (priority, next(self._arrivals), self._clock())
        heapq.heappush(self._waiting, entry)
        async with self._changed:
            try:
                while True:
                    wait = self._wait_for_token(self._refill())
                    if self._waiting[0] == entry and wait == 0:
                        heapq.heappop(self._waiting)
                        self._tokens -= 1
                        return
                    # Woken early when someone ahead is served or leaves, or the bucket is paused.
                    timeout = wait if self._waiting[0] == entry else None
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._changed.wait(), timeout)
            except BaseException:
                if entry in self._waiting:
                    self._waiting.remove(entry)
                    heapq.heapify(self._waiting)
                raise
            finally:
                self._changed.notify_all()

    async def pause(self, seconds: float) -> None:
        """Telegram said to wait: nothing goes to this chat before then, whatever its priority."""
        self._refill()
        self._paused_until = max(self._paused_until, self._clock() + seconds)
        self._tokens = min(self._tokens, 0.0)
        async with self._changed:
            self._changed.notify_all()


class OutboundScheduler(BaseRequestMiddleware):
    def __init__(self, group_per_minute: int = GROUP_PER_MINUTE, clock: Callable[[], float] = time.monotonic) -> None:
        self._group_per_minute = group_per_minute
        self._clock = clock
        self._chats: dict[int, Budget] = {}
        self._overall = Budget(OVERALL_PER_SECOND, OVERALL_PER_SECOND, clock)
        self._pruned = clock()

    def budget(self, chat_id: int) -> Budget:
        budget = self._chats.get(chat_id)
        if budget is None:
            if chat_id < 0:  # groups and supergroups
                budget = Budget(self._group_per_minute, self._group_per_minute / 60, self._clock)
            else:
                budget = Budget(PRIVATE_BURST, PRIVATE_PER_SECOND, self._clock)
            self._chats[chat_id] = budget
        return budget

    def groups(self) -> dict[int, Budget]:
        return {chat_id: budget for chat_id, budget in self._chats.items() if chat_id < 0}

    async def __call__(
        self, make_request: NextRequestMiddlewareType[TelegramType], bot: Any, method: TelegramMethod[TelegramType]
    ) -> Any:
        name = type(method).__name__
        chat_id = getattr(method, "chat_id", None)
        if not counted(name, chat_id):
            return await make_request(bot, method)
        assert isinstance(chat_id, int)
        priority = current_priority()
        if priority is Priority.RELAY and name.startswith("Edit"):
            priority = Priority.COSMETIC  # an edit of a notice or title, unless marked urgent
        self._prune()
        budget = self.budget(chat_id)
        self._observe()
        try:
            # Waiting for the budget gives the update's turn away (bot/admission.py): other updates,
            # a crisis among them, are read meanwhile.
            async with turn_given_up():
                await budget.take(priority)
                await self._overall.take(priority)
        finally:
            self._observe()
        try:
            return await make_request(bot, method)
        except TelegramRetryAfter as error:
            await budget.pause(float(error.retry_after))
            raise

    def _prune(self) -> None:
        """Private chats' buckets go once idle and full again: the bot meets many people, each rarely,
        and a chat id is kept in memory no longer than its budget needs it."""
        now = self._clock()
        if now - self._pruned < PRUNE_EVERY_SECONDS:
            return
        self._pruned = now
        for chat_id in [c for c, budget in self._chats.items() if c > 0 and budget.idle()]:
            del self._chats[chat_id]

    def _observe(self) -> None:
        for chat_id, budget in self.groups().items():
            OUTBOUND_WAITING.labels(group=str(chat_id)).set(budget.waiting)
            OUTBOUND_OLDEST_SECONDS.labels(group=str(chat_id)).set(budget.oldest_wait())
