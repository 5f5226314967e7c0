"""SQLite lets one transaction write at a time. A handoff step that has written (a new conversation,
a claim) commits before it talks to Telegram (bot/middlewares.py): sleeping out Telegram's 429 must
not hold the write lock, or every other update's final write, and so its acknowledgement, would
wait out the backoff too."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from typing import Any

import pytest

from bot import telegram_retry
from bot.config import Settings
from bot.runner import Instance
from playground.runner import PLAYGROUND_TOKEN
from storage import conversations
from tests.e2e.client import Person, PlaygroundClient
from tests.e2e.handoff_steps import COUNSELLOR, group_id, notice, open_topic
from tests.production.conftest import instance_settings

BACKOFF = 4  # seconds Telegram asks the step to wait
OTHERS = [Person(id=880_100 + i) for i in range(3)]


async def only_pending(client: PlaygroundClient, count: int, seconds: float) -> float:
    """Seconds until no more than `count` updates are left unacknowledged (fails after `seconds`)."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if (await client.api("GET", "/api/stats"))["pending"] <= count:
            return time.monotonic() - start
        await asyncio.sleep(0.05)
    raise AssertionError(f"still {(await client.api('GET', '/api/stats'))['pending']} unacknowledged updates")


async def others_go_on(client: PlaygroundClient) -> None:
    """People asking meanwhile are answered and their updates acknowledged well before the backoff ends."""
    for person in OTHERS:
        await client.send(person, "what is prep")
    for person in OTHERS:
        await client.wait_for(person.id, lambda ms: any(m["from_bot"] for m in ms), seconds=BACKOFF - 1)
    await only_pending(client, 1, seconds=BACKOFF - 1.5)  # only the step in its backoff


async def test_a_429_while_opening_a_topic_holds_up_no_other_update(instance: Instance,
                                                                    client: PlaygroundClient) -> None:
    await client.api("POST", "/api/faults", {"method": "createForumTopic", "code": 429, "count": 1,
                                              "retry_after": BACKOFF})
    talker = Person(id=880_001)
    await client.send(talker, "/talk")
    await asyncio.sleep(0.3)  # the conversation is written; the topic waits out the 429
    try:
        await others_go_on(client)
        # The /talk itself carries on once the backoff is over: one topic, one confirmation.
        await client.wait_for(talker.id, lambda ms: any(m["from_bot"] for m in ms), seconds=BACKOFF + 5)
        await only_pending(client, 0, seconds=5)
        group = await client.chat(await group_id(client))
        assert len(group["topics"]) == 1
        assert len([m for m in await client.messages(talker.id) if m["from_bot"]]) == 1
    finally:
        await client.api("DELETE", "/api/faults")


async def test_a_429_after_a_claim_holds_up_no_other_update(instance: Instance, client: PlaygroundClient) -> None:
    talker = Person(id=880_002)
    topic = await open_topic(client, talker)
    note: dict[str, Any] = await notice(client, topic["thread_id"])
    await client.api("POST", "/api/faults", {"method": "editMessageText", "code": 429, "count": 1,
                                              "retry_after": BACKOFF})
    await client.press_data(COUNSELLOR, note["message_id"], note["buttons"][0][0]["data"],
                            chat=await group_id(client))
    await asyncio.sleep(0.3)  # the claim is written; the notice's update waits out the 429
    try:
        await others_go_on(client)
        # The claim completes: the notice names the counsellor and the person is told.
        await client.wait_for(await group_id(client), lambda ms: any(
            m["message_id"] == note["message_id"] and "Claimed by Sara" in m["text"] for m in ms), seconds=BACKOFF + 5)
        await client.wait_for(talker.id, lambda ms: any("counsellor is with you" in m["text"] for m in ms
                                                        if m["from_bot"]), seconds=5)
    finally:
        await client.api("DELETE", "/api/faults")


@pytest.mark.parametrize("failing", ["createForumTopic", "sendMessage"])
async def test_a_talk_whose_topic_or_notice_fails_leaves_no_conversation_behind(
        failing: str, settings: Settings, standin: str, client: PlaygroundClient,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # The conversation is written before its topic is asked for (see above). If Telegram then refuses
    # the topic or its notice, the conversation goes again: the person is told and can ask again,
    # instead of being left in a conversation no counsellor can see or claim.
    monkeypatch.setattr(telegram_retry.RetryMiddleware.__init__, "__defaults__", (5, 0.01, 30.0))
    instance = Instance(instance_settings(settings, standin), PLAYGROUND_TOKEN)
    await instance.start()
    try:
        await client.api("POST", "/api/faults", {"method": failing, "code": 502, "count": 5})
        talker = Person(id=880_003)
        failed = await client.reply_to(talker, "/talk")
        assert "went wrong" in failed["text"].lower() or "try again" in failed["text"].lower(), failed["text"]
        gid = await group_id(client)
        assert all(topic.get("deleted") for topic in (await client.chat(gid))["topics"])

        answer = await client.reply_to(talker, "what is prep")  # no conversation: answered, not relayed
        assert "PrEP" in answer["text"]
        confirmation = await client.reply_to(talker, "/talk")
        assert "number 1 in line" in confirmation["text"]
        assert len([t for t in (await client.chat(gid))["topics"] if not t.get("deleted")]) == 1
    finally:
        await client.api("DELETE", "/api/faults")
        await instance.stop()


async def test_a_conversation_left_without_a_topic_gets_one_with_the_next_message(
        instance: Instance, client: PlaygroundClient) -> None:
    # A crash between writing the conversation and opening its topic leaves it without one: the
    # person's next message opens it, and never goes to the group's general chat.
    talker = Person(id=880_004)
    await client.reply_to(talker, "/start")
    parts = instance.parts
    assert parts is not None
    async with parts.sessions() as session:
        await conversations.create(session, alias="Guest TEST", person=parts.pseudonyms(talker.id),
                                   chat_cipher=parts.cipher.encrypt_int(talker.id), language="en", topic="",
                                   crisis=False, now=dt.datetime.now(dt.UTC))
        await session.commit()
    gid = await group_id(client)
    await client.send(talker, "hello, is someone there?")
    copied = await client.wait_for(gid, lambda ms: [m for m in ms if "someone there" in m["text"]])
    group = await client.chat(gid)
    assert len(group["topics"]) == 1
    assert [m["thread_id"] for m in copied] == [group["topics"][0]["thread_id"]], "once, into its own topic"
    confirmation = await client.reply_to(talker, "/talk")
    assert "number 1 in line" in confirmation["text"]
    assert len((await client.chat(gid))["topics"]) == 1


async def test_a_step_landing_while_a_claim_waits_out_a_429_leaves_the_notice_and_the_person_right(
        instance: Instance, client: PlaygroundClient) -> None:
    # The claim is committed, then Telegram makes its notice edit wait; meanwhile the person ends the
    # conversation. The notice must end up "Closed" (not "Claimed"), and the person must not be told
    # a counsellor is with them after they were told it ended.
    talker = Person(id=880_005)
    topic = await open_topic(client, talker)
    note: dict[str, Any] = await notice(client, topic["thread_id"])
    gid = await group_id(client)
    await client.api("POST", "/api/faults", {"method": "editMessageText", "code": 429, "count": 1,
                                              "retry_after": 2})
    try:
        await client.press_data(COUNSELLOR, note["message_id"], note["buttons"][0][0]["data"], chat=gid)
        await asyncio.sleep(0.3)  # the claim is committed; its notice edit waits out the 429
        await client.reply_to(talker, "/end", containing="has ended")
        await asyncio.sleep(BACKOFF)  # the claim's edit lands, and the notice is put right again

        def final_notice(ms: list[dict[str, Any]]) -> dict[str, Any] | None:
            return next((m for m in ms if m["message_id"] == note["message_id"] and "Closed" in m["text"]), None)

        shown = await client.wait_for(gid, final_notice, seconds=5)
        assert "Claimed by" not in shown["text"]
        assert not [m for m in await client.messages(talker.id) if "counsellor is with you" in m["text"]]
    finally:
        await client.api("DELETE", "/api/faults")
