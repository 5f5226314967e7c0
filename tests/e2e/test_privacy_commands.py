"""/privacy, /forget, /wipe and flood control, as a person would use them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import Settings
from playground.runner import Playground
from storage import conversations, people
from tests.e2e.client import Person, PlaygroundClient, last_bot_message
from tests.e2e.handoff_steps import group_id, open_topic


async def test_privacy_states_the_configured_grace_period(settings: Settings, tmp_path: Path) -> None:
    pg = Playground(settings.model_copy(update={"conversation_grace_hours": 36}), tmp_path / "pg", port=0)
    await pg.start()
    try:
        async with PlaygroundClient(pg.url) as client:
            reply = await client.reply_to(Person(id=400001), "/privacy")
            assert "36 hours" in reply["text"]
            assert "30 days" in reply["text"]
    finally:
        await pg.stop()


async def test_forget_deletes_preferences_and_the_open_conversation(client: PlaygroundClient, playground: Playground) -> None:
    person = Person(id=400002)
    picker = await client.reply_to(person, "/language")
    await client.press(person, picker, "Français")
    await client.wait_for(person.id, lambda ms: "Français" in last_bot_message(ms)["text"])
    topic = await open_topic(client, person)
    await client.reply_to(person, "/forget", containing="effacé")  # in the language the person chose
    assert playground.parts is not None
    pseudonym = playground.parts.pseudonyms(person.id)
    async with playground.parts.sessions() as session:
        assert await people.get_language(session, pseudonym) is None
        assert await conversations.open_for_person(session, pseudonym) is None
    gid = await group_id(client)
    assert all(t["thread_id"] != topic["thread_id"] for t in (await client.chat(gid))["topics"]), "its topic is deleted"
    in_topic = [m for m in await client.messages(gid) if m["thread_id"] == topic["thread_id"]]
    assert in_topic and all(m["deleted"] for m in in_topic), "with every message in it (the notice included)"


async def test_wipe_after_forget_still_erases_the_chat(client: PlaygroundClient) -> None:
    """/privacy names /forget first: /wipe after it must still erase what Telegram allows."""
    person = Person(id=400004)
    await client.reply_to(person, "/start")
    await client.reply_to(person, "what is prep")
    await client.reply_to(person, "/forget", containing="deleted")
    await client.reply_to(person, "/wipe", containing="erased")
    messages = await client.messages(person.id)
    kept = [m for m in messages if not m["deleted"]]
    assert [m["message_id"] for m in kept] == [messages[-1]["message_id"]], "only the confirmation is left"


async def test_wipe_deletes_the_chat_as_far_as_telegram_allows(client: PlaygroundClient) -> None:
    person = Person(id=400003)
    await client.reply_to(person, "/start")
    await client.reply_to(person, "what is prep")
    old = (await client.reply_to(person, "an old message"))["message_id"] - 1
    await client.api("POST", "/api/age", {"chat": person.id, "message_id": old, "seconds": 49 * 3600})
    await client.reply_to(person, "/wipe", containing="erased")
    messages = await client.messages(person.id)
    kept = [m for m in messages if not m["deleted"]]
    assert [m["message_id"] for m in kept if m["message_id"] != old] == [kept[-1]["message_id"]], "only the confirmation is left"
    assert next(m for m in messages if m["message_id"] == old)["deleted"] is False, "older than 48 h cannot be deleted"


@pytest.fixture
async def flood_limited(settings: Settings, tmp_path: Path) -> AsyncIterator[PlaygroundClient]:
    """A playground whose bot lets each person send three messages a minute."""
    pg = Playground(settings.model_copy(update={"messages_per_minute": 3}), tmp_path / "pg", port=0)
    await pg.start()
    try:
        async with PlaygroundClient(pg.url) as client:
            yield client
    finally:
        await pg.stop()


async def test_a_flood_is_slowed_with_a_polite_notice(flood_limited: PlaygroundClient) -> None:
    client, person = flood_limited, Person(id=400004)
    for i in range(6):
        await client.send(person, f"hello {i}")
    notice = await client.wait_for(person.id, lambda ms: next((m for m in ms if "very fast" in m["text"]), None))
    assert notice["from_bot"]


async def test_danger_goes_through_flood_control_and_a_moving_location_does_not_count(
        flood_limited: PlaygroundClient) -> None:
    client, person = flood_limited, Person(id=400005)
    for i in range(4):
        await client.send(person, f"hello {i}")
    await client.wait_for(person.id, lambda ms: next((m for m in ms if "very fast" in m["text"]), None))
    reply = await client.reply_to(person, "he is going to kill me", containing="112")
    assert "🆘" in reply["text"]

    # A live location shared in a conversation moves every few seconds, as edits: none counts.
    sharer = Person(id=400006)
    await open_topic(client, sharer)
    shared = await client.send(sharer, None, location={"latitude": 51.2, "longitude": 4.4})
    await client.wait_for(sharer.id, lambda ms: next((m for m in ms if "location or contact" in m["text"]), None))
    for step in range(6):
        await client.api("POST", "/api/edit", {"from": sharer.as_from(), "chat": sharer.id, "message_id": shared,
                                              "location": {"latitude": 51.2 + (step + 1) / 100, "longitude": 4.4}})
    await client.send(sharer, "still here")
    gid = await group_id(client)
    await client.wait_for(gid, lambda ms: next((m for m in ms if m["text"] == "still here"), None))
    assert not any("very fast" in m["text"] for m in await client.messages(sharer.id))
