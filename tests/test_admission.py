"""A few updates at a time, first come first served; a Telegram backoff gives the turn away."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import SendMessage
from aiogram.types import Update
from sqlalchemy import text

from bot.admission import Admission, turn_given_up
from bot.telegram_retry import RetryMiddleware
from storage.database import create_engine, session_factory

UPDATE = Update(update_id=1)


def throttled_once() -> Any:
    """A Bot API that answers the first call with 429 (retry after 1 s), then accepts."""
    calls = 0

    async def make_request(bot: Any, method: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise TelegramRetryAfter(method=method, message="Too Many Requests", retry_after=1)
        return True

    return make_request


async def test_no_more_than_the_limit_at_once_and_in_arrival_order() -> None:
    admission = Admission(limit=2)
    started: list[int] = []
    running, most = 0, 0

    async def handler(n: int) -> None:
        nonlocal running, most
        started.append(n)
        running += 1
        most = max(most, running)
        await asyncio.sleep(0.01)
        running -= 1

    await asyncio.gather(*(admission(lambda _e, _d, n=n: handler(n), UPDATE, {}) for n in range(8)))
    assert most == 2
    assert started == list(range(8))


async def test_an_update_sleeping_out_a_backoff_lets_the_next_one_through() -> None:
    admission = Admission(limit=1)
    order: list[str] = []
    make_request = throttled_once()

    async def throttled(_event: Any, _data: Any) -> None:
        await RetryMiddleware()(make_request, None, SendMessage(chat_id=1, text="x"))
        order.append("throttled one sent")

    async def quick(_event: Any, _data: Any) -> None:
        order.append("quick one handled")

    first = asyncio.create_task(admission(throttled, UPDATE, {}))
    await asyncio.sleep(0.05)  # the first is now sleeping out its 1 s backoff
    await asyncio.wait_for(admission(quick, UPDATE, {}), 0.5)
    await first
    assert order == ["quick one handled", "throttled one sent"]


async def test_giving_up_a_turn_outside_an_update_does_nothing() -> None:
    async with turn_given_up():
        pass
    admission = Admission(limit=1)
    leftover: list[asyncio.Task[None]] = []

    async def starts_a_task(_event: Any, _data: Any) -> None:
        async def later() -> None:
            await asyncio.sleep(0.02)
            async with turn_given_up():  # the update is over: its turn must not be given back twice
                pass
        leftover.append(asyncio.create_task(later()))

    await admission(starts_a_task, UPDATE, {})
    await leftover[0]
    # Exactly one turn, as at the start: one acquire takes it, and then none is left.
    await asyncio.wait_for(admission.slots.acquire(), 0.1)
    assert admission.slots.locked()


async def test_an_update_back_from_a_backoff_does_not_queue_behind_updates_waiting_for_its_write(
        tmp_path: Path) -> None:
    # A handler that writes and then meets a 429 before committing (handlers commit first: this is
    # the worst case). Meanwhile every turn goes to updates whose write waits for SQLite's lock.
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'turns.db'}")
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE t (v TEXT)"))
    sessions = session_factory(engine)
    admission = Admission(limit=2)
    make_request = throttled_once()

    async def talk(_event: Any, _data: Any) -> None:
        async with sessions() as session:
            await session.execute(text("INSERT INTO t VALUES ('conversation')"))
            await RetryMiddleware()(make_request, None, SendMessage(chat_id=1, text="x"))
            await session.commit()

    async def other(_event: Any, _data: Any) -> None:
        async with sessions() as session:
            await session.execute(text("INSERT INTO t VALUES ('handled')"))
            await session.commit()

    first = asyncio.create_task(admission(talk, UPDATE, {}))
    await asyncio.sleep(0.05)
    try:
        await asyncio.wait_for(asyncio.gather(first, *(admission(other, UPDATE, {}) for _ in range(2))), 5)
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT count(*) FROM t"))).scalar_one() == 3
    finally:
        first.cancel()
        await engine.dispose()
    await asyncio.wait_for(admission.slots.acquire(), 0.1)  # the turns add up again
    await asyncio.wait_for(admission.slots.acquire(), 0.1)
    assert admission.slots.locked()


async def test_a_task_an_update_started_cannot_give_away_the_updates_turn() -> None:
    admission = Admission(limit=1)
    make_request = throttled_once()
    started: list[asyncio.Task[Any]] = []

    async def starts_a_throttled_task(_event: Any, _data: Any) -> None:
        started.append(asyncio.create_task(RetryMiddleware()(make_request, None, SendMessage(chat_id=1, text="x"))))
        await asyncio.sleep(0.05)  # the task is now in its backoff; this update still holds its turn

    async def quick(_event: Any, _data: Any) -> None:
        pass

    first = asyncio.create_task(admission(starts_a_throttled_task, UPDATE, {}))
    await asyncio.sleep(0.01)
    waiting = asyncio.create_task(admission(quick, UPDATE, {}))
    await asyncio.sleep(0.02)
    assert not waiting.done(), "the task gave the running update's turn away"
    await first
    await waiting
    await started[0]
    await asyncio.wait_for(admission.slots.acquire(), 0.1)
    assert admission.slots.locked()
