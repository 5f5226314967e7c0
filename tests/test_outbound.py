"""The outbound scheduler spends a chat's Telegram budget by priority, in arrival order within one."""

from __future__ import annotations

import asyncio
import contextlib

from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import EditMessageText, GetMe, SendMessage

from bot.outbound import Budget, OutboundScheduler, counted
from bot.outbound_priority import Priority, current_priority, outbound_priority


async def test_the_budget_goes_to_the_most_urgent_first_and_in_arrival_order_within_a_priority() -> None:
    budget = Budget(capacity=1, per_second=50)  # a token every 20 ms
    await budget.take(Priority.RELAY)  # the burst is spent: everyone below waits for a token
    served: list[str] = []

    async def take(name: str, priority: Priority) -> None:
        await budget.take(priority)
        served.append(name)

    waiters = [asyncio.create_task(take(f"relay {n}", Priority.RELAY)) for n in range(4)]
    await asyncio.sleep(0)
    waiters.append(asyncio.create_task(take("edit", Priority.COSMETIC)))
    waiters.append(asyncio.create_task(take("notice", Priority.NOTICE)))
    waiters.append(asyncio.create_task(take("crisis", Priority.CRISIS)))
    await asyncio.wait_for(asyncio.gather(*waiters), 5)
    assert served == ["crisis", "notice", "relay 0", "relay 1", "relay 2", "relay 3", "edit"]


async def test_a_waiter_that_gives_up_does_not_hold_up_the_others() -> None:
    budget = Budget(capacity=1, per_second=20)
    await budget.take(Priority.RELAY)
    first = asyncio.create_task(budget.take(Priority.RELAY))
    second = asyncio.create_task(budget.take(Priority.RELAY))
    await asyncio.sleep(0.01)
    first.cancel()
    await asyncio.wait_for(second, 2)
    assert budget.waiting == 0


async def test_a_429_pauses_the_chat_for_the_time_telegram_gave() -> None:
    scheduler = OutboundScheduler()
    loop = asyncio.get_running_loop()
    calls: list[float] = []

    async def telegram(bot: object, method: object) -> str:
        calls.append(loop.time())
        if len(calls) == 1:
            raise TelegramRetryAfter(method=method, message="Too Many Requests: retry after 1", retry_after=1)
        return "sent"

    send = SendMessage(chat_id=-100, text="notice")
    with contextlib.suppress(TelegramRetryAfter):
        await scheduler(telegram, None, send)
    assert await scheduler(telegram, None, send) == "sent"
    assert calls[1] - calls[0] >= 0.95


async def test_only_calls_that_post_into_a_chat_are_scheduled_and_edits_are_cosmetic() -> None:
    assert counted("SendMessage", -100) and counted("CopyMessage", 5) and counted("CreateForumTopic", -100)
    assert not counted("GetMe", None) and not counted("SendChatAction", 5) and not counted("EditMessageText", 5)
    assert counted("EditMessageText", -100)
    scheduler = OutboundScheduler()
    seen: list[str] = []

    async def telegram(bot: object, method: object) -> str:
        seen.append(type(method).__name__)
        return "ok"

    await scheduler(telegram, None, GetMe())
    await scheduler(telegram, None, EditMessageText(chat_id=-100, message_id=1, text="title"))
    assert seen == ["GetMe", "EditMessageText"]


def test_a_more_urgent_priority_set_outside_is_kept_inside() -> None:
    assert current_priority() is Priority.RELAY
    with outbound_priority(Priority.CRISIS), outbound_priority(Priority.NOTICE):
        assert current_priority() is Priority.CRISIS
    assert current_priority() is Priority.RELAY


async def test_idle_private_chats_are_forgotten() -> None:
    now = [1000.0]
    scheduler = OutboundScheduler(clock=lambda: now[0])

    async def telegram(bot: object, method: object) -> str:
        return "ok"

    await scheduler(telegram, None, SendMessage(chat_id=4242, text="hi"))
    assert 4242 in scheduler._chats
    now[0] += 120
    await scheduler(telegram, None, SendMessage(chat_id=-100, text="notice"))
    assert 4242 not in scheduler._chats and -100 in scheduler._chats
