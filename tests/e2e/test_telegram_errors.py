"""Telegram answering 429 or 5xx: the bot waits or backs off, and nothing is lost."""

from __future__ import annotations

from tests.e2e.client import Person, PlaygroundClient


async def calls(client: PlaygroundClient, method: str) -> list[int]:
    return [c["status"] for c in (await client.api("GET", f"/api/calls?method={method}"))["calls"]]


async def test_a_429_is_waited_out_and_the_answer_still_arrives(client: PlaygroundClient) -> None:
    person = Person(id=300001)
    await client.api("POST", "/api/faults", {"method": "sendMessage", "code": 429, "count": 2, "retry_after": 1})
    reply = await client.reply_to(person, "what is prep")
    assert "PrEP" in reply["text"]
    statuses = await calls(client, "sendMessage")
    assert statuses[:3] == [429, 429, 200]


async def test_server_errors_are_retried_with_backoff(client: PlaygroundClient) -> None:
    person = Person(id=300002)
    await client.api("POST", "/api/faults", {"method": "sendMessage", "code": 502, "count": 2})
    reply = await client.reply_to(person, "what is prep")
    assert "PrEP" in reply["text"]
    assert (await calls(client, "sendMessage"))[:3] == [502, 502, 200]
    replies = [m for m in await client.messages(person.id) if m["from_bot"]]
    assert len(replies) == 1, "retried, not doubled"
