"""Telegram's flood limits in the stand-in: a bot that sends faster than Telegram allows gets a 429
with a retry_after that says when the call would pass, through a real aiogram Bot."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramRetryAfter

from playground.standin.limits import GROUP_PER_MINUTE, PRIVATE_BURST, TelegramLimits, counts_against_limits

pytestmark = pytest.mark.telegram_limits  # the app enforces them (conftest)


@dataclass
class Refused:
    passed: int
    retry_after: int


async def send_until_refused(bot: Bot, chat_id: int, most: int = 60) -> Refused:
    """Send as fast as the bot can; the budget refills meanwhile, so on a slow machine a few more pass."""
    for passed in range(most):
        try:
            await bot.send_message(chat_id, f"message {passed}")
        except TelegramRetryAfter as error:
            return Refused(passed, error.retry_after)
    raise AssertionError(f"{most} messages passed without a 429")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_a_private_chat_takes_a_short_burst_then_about_one_message_a_second(bot, ids, send):
    await send(text="hello")  # the person writes first, as on Telegram
    refused = await send_until_refused(bot, ids.user["id"])
    assert refused.passed >= PRIVATE_BURST and refused.retry_after == 1


async def test_the_group_takes_twenty_messages_a_minute_and_says_how_long_to_wait(bot, ids):
    refused = await send_until_refused(bot, ids.counsellor_chat)
    assert refused.passed >= GROUP_PER_MINUTE and 1 <= refused.retry_after <= 3  # a message's worth: 3 s
    with pytest.raises(TelegramRetryAfter):
        await bot.create_forum_topic(ids.counsellor_chat, "a new conversation")  # a topic is a message too


async def test_another_chat_is_not_held_up_by_a_busy_one(bot, ids, send):
    await send(text="hello")
    for n in range(PRIVATE_BURST):
        await bot.send_message(ids.user["id"], f"burst {n}")
    await bot.send_message(ids.counsellor_chat, "the group still has its budget")


async def test_reading_and_answering_presses_do_not_count():
    assert not counts_against_limits("getUpdates", 100)
    assert not counts_against_limits("answerCallbackQuery", 100)
    assert not counts_against_limits("sendChatAction", -100)
    assert counts_against_limits("copyMessage", -100) and counts_against_limits("editMessageText", -100)
    assert not counts_against_limits("editMessageText", 100)  # a menu edited in place in a private chat


def test_the_budget_refills_with_time_and_the_wait_matches_the_load():
    clock = Clock()
    limits = TelegramLimits(clock=clock)
    group = -100
    for _ in range(GROUP_PER_MINUTE):
        assert limits.take("sendMessage", group) is None
    refused = limits.take("sendMessage", group)
    assert refused is not None and refused.retry_after == 3
    clock.now += 3
    assert limits.take("sendMessage", group) is None
    assert limits.take("sendMessage", group) is not None
    clock.now += 60
    assert all(limits.take("sendMessage", group) is None for _ in range(GROUP_PER_MINUTE))


def test_thirty_a_second_overall_across_many_chats():
    clock = Clock()
    limits = TelegramLimits(clock=clock)
    assert all(limits.take("sendMessage", chat) is None for chat in range(1, 31))
    assert limits.take("sendMessage", 31) is not None
    clock.now += 0.1
    assert limits.take("sendMessage", 32) is None  # three more tokens after 0.1 s


def test_switched_off_for_speed_benchmarks():
    limits = TelegramLimits(enabled=False)
    assert all(limits.take("sendMessage", -100) is None for _ in range(100))


async def test_a_deactivated_user_is_answered_403(api, bot, ids, send):
    from aiogram.exceptions import TelegramForbiddenError

    await send(text="hello")
    await api.post("/api/deactivate", json={"user": ids.user["id"]})
    with pytest.raises(TelegramForbiddenError, match="user is deactivated"):
        await bot.send_message(ids.user["id"], "are you there?")


async def test_without_the_right_to_manage_topics_a_topic_cannot_be_opened(api, bot, ids):
    from aiogram.exceptions import TelegramBadRequest

    await api.post("/api/rights", json={"can_manage_topics": False})
    with pytest.raises(TelegramBadRequest, match="not enough rights to create a topic"):
        await bot.create_forum_topic(ids.counsellor_chat, "a conversation")
    await api.post("/api/rights", json={"can_manage_topics": True})
    assert (await bot.create_forum_topic(ids.counsellor_chat, "a conversation")).message_thread_id


async def test_a_premium_users_long_caption_cannot_be_copied_by_a_bot(api, bot, ids, send):
    from aiogram.exceptions import TelegramBadRequest

    premium = {**ids.user, "is_premium": True}
    long_caption = "x" * 2000
    message_id = await send(sender=premium, media={"type": "photo"}, caption=long_caption)
    with pytest.raises(TelegramBadRequest, match="message caption is too long"):
        await bot.copy_message(ids.counsellor_chat, ids.user["id"], message_id)
    await bot.copy_message(ids.counsellor_chat, ids.user["id"], message_id, caption="a shorter one")
    refused = await api.post("/api/send", json={"chat": ids.user["id"], "from": ids.user, "media": {"type": "photo"},
                                                "caption": long_caption})
    assert refused.status == 400  # without Premium, 1024 at most
