"""How many updates one instance works on at once: a few, in arrival order.

Telegram may deliver many updates at once (the webhook's `max_connections`, 40 by default), and
it should: an update waiting out Telegram's flood control (a 429 can ask for a minute or more,
e.g. when the counsellors' group is busy) keeps its delivery open all that time. But one event
loop does one thing at a time, so working on 40 updates together only makes each take as long as
all 40 (and holds 40 database connections). Here at most `limit` are worked on; the others wait
their turn, first come first served, and an update sleeping out a backoff gives its turn to the
next one meanwhile (`bot/telegram_retry.py`). Coming back, it takes a turn only if one is free and
otherwise carries on over the limit: it may hold something the others wait for (SQLite's write lock,
a row lock), so queueing behind them could deadlock. The wait counts in the handling time /metrics shows.

Added by the composition root (bot/app.py) when tuning is on and aiogram is the one it was checked with.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextvars import ContextVar
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject

from bot.versions import checked_with

CHECKED_WITH = {"aiogram": ("3.31",)}


class _Turn:
    def __init__(self, slots: asyncio.Semaphore) -> None:
        self.slots, self.held = slots, False
        self.owner = asyncio.current_task()  # tasks the update starts inherit the context, not the turn


_CURRENT: ContextVar[_Turn | None] = ContextVar("vraagbaak_admission_turn", default=None)


class Admission(BaseMiddleware):
    """Outer middleware on updates (after the per-chat lock, so waiting for one's own chat holds no turn)."""

    def __init__(self, limit: int) -> None:
        self.slots = asyncio.Semaphore(limit)

    async def __call__(self, handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
                       event: TelegramObject, data: dict[str, Any]) -> Any:
        turn = _Turn(self.slots)
        await self.slots.acquire()  # asyncio's semaphore wakes waiters in the order they came
        turn.held = True
        token = _CURRENT.set(turn)
        try:
            return await handler(event, data)
        finally:
            _CURRENT.reset(token)
            if turn.held:
                turn.held = False
                self.slots.release()


@contextlib.asynccontextmanager
async def turn_given_up() -> AsyncIterator[None]:
    """While inside, the current update holds no turn (for sleeping out a Telegram backoff).
    Outside an update, or in a task the update started, it does nothing."""
    turn = _CURRENT.get()
    if turn is None or not turn.held or turn.owner is not asyncio.current_task():
        yield
        return
    turn.held = False
    turn.slots.release()
    try:
        yield
    finally:
        if not turn.slots.locked():  # a free turn is taken at once; none free: carry on without one
            await turn.slots.acquire()
            turn.held = True


def admission(limit: int) -> Admission | None:
    """An `Admission`, or None with an aiogram it was not checked with."""
    return Admission(limit) if checked_with("Admission", CHECKED_WITH) else None
