"""Edits follow relayed messages: a counsellor correcting a phone number, a person fixing a typo.
Through the real bot and the stand-in; the copy itself is edited (never a second message)."""

from __future__ import annotations

from typing import Any

from tests.e2e.client import Person, PlaygroundClient
from tests.e2e.handoff_steps import COUNSELLOR, OTHER_COUNSELLOR, claimed_topic, thread_messages


async def _edit(client: PlaygroundClient, who: Person, chat: int, message_id: int, **change: Any) -> None:
    await client.api("POST", "/api/edit", {"from": who.as_from(), "chat": chat, "message_id": message_id, **change})


def _with_text(text: str) -> Any:
    return lambda ms: next((m for m in ms if m["text"] == text), None)


async def test_a_counsellors_correction_and_a_persons_reach_the_copies(client: PlaygroundClient) -> None:
    person = Person(id=200401)
    gid, thread = await claimed_topic(client, person)
    sent = await client.send(COUNSELLOR, "Call 02 000 00 00 for help", chat=gid, thread_id=thread)
    copy = await client.wait_for(person.id, _with_text("Call 02 000 00 00 for help"))
    await _edit(client, COUNSELLOR, gid, sent, text="Call 0800 30 030 for help")
    edited = await client.wait_for(person.id, _with_text("Call 0800 30 030 for help"))
    assert edited["message_id"] == copy["message_id"]  # the copy changed; no second message

    mine = await client.send(person, "i am in antwrp")
    theirs = await client.wait_for(gid, _with_text("i am in antwrp"))
    await _edit(client, person, person.id, mine, text="i am in antwerp")
    fixed = await client.wait_for(gid, _with_text("i am in antwerp"))
    assert fixed["message_id"] == theirs["message_id"] and fixed["thread_id"] == thread

    photo = await client.send(person, None, media={"type": "photo"}, caption="my rash")
    await client.wait_for(gid, lambda ms: next((m for m in thread_messages(ms, thread) if m["media"]
                                                and m["text"] == "my rash"), None))
    await _edit(client, person, person.id, photo, caption="my rash, since monday")
    await client.wait_for(gid, lambda ms: next((m for m in thread_messages(ms, thread) if m["media"]
                                                and m["text"] == "my rash, since monday"), None))
    texts = [m["text"] for m in await client.messages(person.id) + await client.messages(gid) if m["from_bot"]]
    assert not [t for t in texts if "could not be passed on" in t]


async def test_an_edit_telegram_refuses_is_reported_to_whoever_made_it(client: PlaygroundClient) -> None:
    person = Person(id=200402)
    gid, thread = await claimed_topic(client, person)
    sent = await client.send(COUNSELLOR, "see you at 3", chat=gid, thread_id=thread)
    await client.wait_for(person.id, _with_text("see you at 3"))
    mine = await client.send(person, "ok at 3")
    await client.wait_for(gid, _with_text("ok at 3"))
    await client.api("POST", "/api/faults", {"method": "editMessageText", "code": 502, "every": 1})
    try:
        await _edit(client, COUNSELLOR, gid, sent, text="see you at 4")
        note = await client.wait_for(gid, lambda ms: next((m for m in thread_messages(ms, thread) if m["from_bot"]
                                                           and "change could not be passed on" in m["text"]), None),
                                     seconds=20)
        await _edit(client, person, person.id, mine, text="ok at 4")
        told = await client.wait_for(person.id, lambda ms: next(
            (m for m in ms if m["from_bot"] and "could not be passed on" in m["text"]), None), seconds=20)
    finally:
        await client.api("DELETE", "/api/faults")
    assert note["thread_id"] == thread and told["from_bot"]
    assert not any(m["text"] == "see you at 4" for m in await client.messages(person.id))


async def test_a_colleagues_edit_in_a_claimed_topic_changes_nothing(client: PlaygroundClient) -> None:
    person = Person(id=200403)
    gid, thread = await claimed_topic(client, person)
    other = await client.send(OTHER_COUNSELLOR, "can I help?", chat=gid, thread_id=thread)
    await client.wait_for(gid, lambda ms: next((m for m in ms if "only their messages" in m["text"]), None))
    await _edit(client, OTHER_COUNSELLOR, gid, other, text="can I help? (edited)")
    # The colleague's next message is handled after their edit (one sender in one chat, in order).
    await client.send(OTHER_COUNSELLOR, "sorry", chat=gid, thread_id=thread)
    await client.wait_for(gid, lambda ms: len([m for m in ms if "only their messages" in m["text"]]) == 2 or None)
    assert not any("can I help" in m["text"] for m in await client.messages(person.id))


async def test_a_shared_live_location_moving_is_not_reported_as_a_failed_edit(client: PlaygroundClient) -> None:
    """A live location comes as edits every few seconds; its copy is a plain location: nothing to say."""
    person = Person(id=200404)
    gid, thread = await claimed_topic(client, person)
    shared = await client.send(person, None, location={"latitude": 51.2, "longitude": 4.4})
    question = await client.wait_for(person.id, lambda ms: next((m for m in ms if "location or contact" in m["text"]),
                                                                 None))
    await client.press(person, question, "Send it")
    await client.wait_for(gid, lambda ms: any(m.get("location") for m in thread_messages(ms, thread)))
    for step in range(3):
        await _edit(client, person, person.id, shared, location={"latitude": 51.2 + (step + 1) / 100, "longitude": 4.4})
    await client.send(person, "still here")  # handled after the moves (one chat, in order)
    await client.wait_for(gid, _with_text("still here"))
    assert not [m for m in await client.messages(person.id) if m["from_bot"] and "could not be passed on" in m["text"]]


async def test_a_swapped_file_reaches_the_copy_with_its_caption(client: PlaygroundClient) -> None:
    """A counsellor who attached the wrong leaflet swaps it: the person's copy shows the right one.
    A person swapping a photo reaches the counsellor's copy the same way."""
    person = Person(id=200405)
    gid, thread = await claimed_topic(client, person)
    sent = await client.send(COUNSELLOR, None, chat=gid, thread_id=thread,
                             media={"type": "document", "file_id": "leaflet-old"}, caption="opening hours")
    copy = await client.wait_for(person.id, lambda ms: next((m for m in ms if m["text"] == "opening hours"), None))
    assert copy["media"]["file_id"] == "leaflet-old"
    await _edit(client, COUNSELLOR, gid, sent, media={"type": "document", "file_id": "leaflet-new"},
                caption="opening hours (new)")
    swapped = await client.wait_for(person.id, lambda ms: next(
        (m for m in ms if m["media"] and m["media"]["file_id"] == "leaflet-new"), None))
    assert swapped["message_id"] == copy["message_id"] and swapped["text"] == "opening hours (new)"

    mine = await client.send(person, None, media={"type": "photo", "file_id": "blurry"}, caption="this one")
    theirs = await client.wait_for(gid, lambda ms: next((m for m in thread_messages(ms, thread) if m["media"]
                                                         and m["media"]["file_id"] == "blurry"), None))
    await _edit(client, person, person.id, mine, media={"type": "photo", "file_id": "sharp"}, caption="this one")
    fixed = await client.wait_for(gid, lambda ms: next((m for m in thread_messages(ms, thread) if m["media"]
                                                        and m["media"]["file_id"] == "sharp"), None))
    assert fixed["message_id"] == theirs["message_id"] and fixed["text"] == "this one"
    # Only the caption changed: the same file goes in again, and the caption follows.
    await _edit(client, person, person.id, mine, caption="this one, from today")
    await client.wait_for(gid, _with_text("this one, from today"))
    texts = [m["text"] for m in await client.messages(person.id) + await client.messages(gid) if m["from_bot"]]
    assert not [t for t in texts if "could not be passed on" in t]
