"""Steps shared by the handoff tests: open a conversation, find its topic, claim it."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.e2e.client import Person, PlaygroundClient, find_button

COUNSELLOR = Person(id=900001, first_name="Sara", language_code="en")
OTHER_COUNSELLOR = Person(id=900002, first_name="Tom", language_code="en")


async def group_id(client: PlaygroundClient) -> int:
    return (await client.config())["counsellor_chat_id"]


async def open_topic(client: PlaygroundClient, person: Person, how: str = "/talk") -> dict[str, Any]:
    """The person asks for a counsellor; return the new topic in the group."""
    before = await topic_count(client)
    await client.reply_to(person, how)
    return await new_topic(client, before)


async def topic_count(client: PlaygroundClient) -> int:
    return len((await client.chat(await group_id(client)))["topics"])


async def new_topic(client: PlaygroundClient, before: int) -> dict[str, Any]:
    """The topic opened after there were `before`."""
    gid = await group_id(client)
    for _ in range(160):
        topics = (await client.chat(gid))["topics"]
        if len(topics) > before:
            return topics[-1]
        await asyncio.sleep(0.05)
    raise AssertionError("no topic was opened in the counsellors' group")


async def notice(client: PlaygroundClient, thread_id: int) -> dict[str, Any]:
    gid = await group_id(client)
    return await client.wait_for(
        gid, lambda ms: next((m for m in ms if m["thread_id"] == thread_id and m["from_bot"] and m["buttons"]), None)
    )


async def claim(client: PlaygroundClient, thread_id: int, counsellor: Person = COUNSELLOR) -> dict[str, Any]:
    gid = await group_id(client)
    note = await notice(client, thread_id)
    first = note["buttons"][0][0]
    assert "claim" in first["text"].lower(), "the notice's first button claims the conversation"
    await client.press_data(counsellor, note["message_id"], first["data"], chat=gid)
    claimed = f"Claimed by {counsellor.first_name}"
    return await client.wait_for(gid, lambda ms: next(
        (m for m in ms if m["message_id"] == note["message_id"] and claimed in m["text"]), None))


async def claimed_topic(client: PlaygroundClient, person: Person, counsellor: Person = COUNSELLOR) -> tuple[int, int]:
    """The person asks for a counsellor and the counsellor claims: the group's id and the topic's."""
    topic = await open_topic(client, person)
    await claim(client, topic["thread_id"], counsellor)
    return await group_id(client), topic["thread_id"]


def thread_messages(messages: list[dict[str, Any]], thread_id: int) -> list[dict[str, Any]]:
    return [m for m in messages if m["thread_id"] == thread_id]


__all__ = ["COUNSELLOR", "OTHER_COUNSELLOR", "claim", "claimed_topic", "find_button", "group_id", "new_topic", "notice", "open_topic",
           "thread_messages", "topic_count"]
