"""With Telegram's limits on (the stand-in keeps them), a busy counsellors' group spends its budget
on danger first: a crisis conversation's topic and notice go before the relays already waiting,
no relay is lost, and each person's messages still arrive in the order they were written."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings
from playground.runner import Playground
from tests.e2e.client import Person, PlaygroundClient
from tests.e2e.handoff_steps import group_id, new_topic, open_topic, topic_count

ALWAYS_OPEN = {d: "00:00-24:00" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
BUSY = [Person(id=610_001 + n, first_name=f"Busy{n}") for n in range(5)]
IN_DANGER = Person(id=610_100, first_name="Danger")


@pytest.fixture
async def open_desk(settings: Settings, tmp_path: Path) -> AsyncIterator[PlaygroundClient]:
    pg = Playground(settings.model_copy(update={"opening_hours": ALWAYS_OPEN, "messages_per_minute": 100,
                                                "telegram_limits": True}),
                    tmp_path / "pg", port=0, telegram_limits=True)
    await pg.start()
    try:
        async with PlaygroundClient(pg.url) as client:
            yield client
    finally:
        await pg.stop()


def relays(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [m for m in messages if str(m["text"]).startswith("relay ")]


async def test_a_crisis_notice_goes_before_the_relays_already_waiting(open_desk: PlaygroundClient) -> None:
    client = open_desk
    gid = await group_id(client)
    threads = [(await open_topic(client, person))["thread_id"] for person in BUSY]
    sent = {person.id: [f"relay {person.first_name} {n}" for n in range(5)] for person in BUSY}
    await asyncio.gather(*(client.send(person, text) for person in BUSY for text in sent[person.id]))
    # More than the group takes in a minute: relays are waiting their turn.
    await client.wait_for(gid, lambda ms: len(relays(ms)) >= 8 or None, seconds=60)

    before = await topic_count(client)
    crisis_reply = await client.reply_to(IN_DANGER, "he is beating me right now please help")
    await client.press_data(IN_DANGER, crisis_reply["message_id"], crisis_reply["buttons"][0][0]["data"])
    pressed_at = len(relays(await client.messages(gid)))
    topic = await new_topic(client, before)
    group = await client.wait_for(gid, lambda ms: ms if any(
        m["thread_id"] == topic["thread_id"] and m["from_bot"] and m["buttons"] for m in ms) else None, seconds=60)
    notice_at = len(relays(group))
    assert notice_at - pressed_at <= 1, f"{notice_at - pressed_at} waiting relays went before the crisis notice"
    assert notice_at < sum(map(len, sent.values())), "relays were still waiting when the crisis notice went"

    everything = sum(map(len, sent.values()))
    final = await client.wait_for(gid, lambda ms: ms if len(relays(ms)) == everything else None, seconds=180)
    for person, thread in zip(BUSY, threads, strict=True):
        arrived = [m["text"] for m in relays(final) if m["thread_id"] == thread]
        assert arrived == sent[person.id], "nothing lost, in the order written"
