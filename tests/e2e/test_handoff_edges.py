"""The handoff's edges: names that look like markup, buttons outliving their conversation, topics
closed under a message, Telegram failing a relay."""

from __future__ import annotations

import asyncio

from handoff.notices import BOT_MARK
from playground.runner import PLAYGROUND_TOKEN
from tests.e2e.client import Person, PlaygroundClient
from tests.e2e.handoff_steps import (
    COUNSELLOR,
    OTHER_COUNSELLOR,
    claim,
    group_id,
    notice,
    open_topic,
    thread_messages,
    topic_count,
)


async def test_a_counsellor_name_that_looks_like_markup_is_shown_as_written(client: PlaygroundClient) -> None:
    jo = Person(id=COUNSELLOR.id, first_name="Jo <3 & <b>co</b>", language_code="en")
    person = Person(id=200301)
    topic = await open_topic(client, person)
    gid = await group_id(client)
    claimed = await claim(client, topic["thread_id"], jo)  # waits for "Claimed by Jo <3 & <b>co</b>"
    assert claimed["buttons"] == []
    await client.send(OTHER_COUNSELLOR, "may I?", chat=gid, thread_id=topic["thread_id"])
    refusal = await client.wait_for(gid, lambda ms: next((m for m in ms if "only their messages" in m["text"]), None))
    assert refusal["text"].startswith(BOT_MARK + "Jo <3 & <b>co</b> has this conversation")


async def test_the_claim_button_of_a_forgotten_conversation_claims_nothing(client: PlaygroundClient) -> None:
    gone, next_one = Person(id=200302), Person(id=200303)
    topic = await open_topic(client, gone)
    gid = await group_id(client)
    old = await notice(client, topic["thread_id"])
    # /forget deletes the topic with its notice; should Telegram fail to, the notice stays without buttons.
    await client.api("POST", "/api/faults", {"method": "deleteForumTopic", "code": 500, "count": 20})
    await client.reply_to(gone, "/forget", containing="deleted")
    await client.api("DELETE", "/api/faults")
    await client.wait_for(gid, lambda ms: next((m for m in ms if m["message_id"] == old["message_id"]
                                                and not m["buttons"]), None))
    # SQLite hands the deleted id to the next conversation: the old button must not claim that one.
    fresh = await open_topic(client, next_one)
    await client.press_data(COUNSELLOR, old["message_id"], old["buttons"][0][0]["data"], chat=gid)
    await client.wait_for(gid, lambda ms: [a for a in client.last_alerts if "not valid" in a["text"]
                                           or "has ended" in a["text"]])
    new_notice = await notice(client, fresh["thread_id"])
    assert new_notice["buttons"] and "Claimed" not in new_notice["text"]


async def test_a_topic_closed_by_hand_is_opened_again_when_the_person_writes(client: PlaygroundClient) -> None:
    # The conversation is still open (nobody used /close): the person must not be told "try again"
    # for every message while no counsellor can read them.
    person = Person(id=200304)
    topic = await open_topic(client, person)
    gid = await group_id(client)
    await claim(client, topic["thread_id"])
    await client.api("POST", f"/bot{PLAYGROUND_TOKEN}/closeForumTopic",
                     {"chat_id": gid, "message_thread_id": topic["thread_id"]})
    before = await topic_count(client)
    await client.send(person, "hello? is anyone reading this?")
    relayed = await client.wait_for(gid, lambda ms: next((m for m in thread_messages(ms, topic["thread_id"])
                                                          if m["text"] == "hello? is anyone reading this?"), None))
    assert relayed["from_bot"] and relayed["forward_origin"] is None
    topics = (await client.chat(gid))["topics"]
    assert next(t for t in topics if t["thread_id"] == topic["thread_id"])["closed"] is False
    assert await topic_count(client) == before  # the same topic, not a new one
    await asyncio.sleep(0.3)
    assert not [m for m in await client.messages(person.id) if m["from_bot"] and "could not be passed on" in m["text"]]


async def test_a_counsellors_message_telegram_keeps_failing_is_reported_in_the_topic(client: PlaygroundClient) -> None:
    person = Person(id=200305)
    topic = await open_topic(client, person)
    gid = await group_id(client)
    await claim(client, topic["thread_id"])
    await client.api("POST", "/api/faults", {"method": "copyMessage", "code": 502, "every": 1})
    try:
        await client.send(COUNSELLOR, "are you safe now?", chat=gid, thread_id=topic["thread_id"])
        note = await client.wait_for(gid, lambda ms: next(
            (m for m in thread_messages(ms, topic["thread_id"]) if "could not be passed on" in m["text"]), None),
            seconds=20)
    finally:
        await client.api("DELETE", "/api/faults")
    assert note["from_bot"]
    assert not any(m["text"] == "are you safe now?" for m in await client.messages(person.id))


async def test_only_the_claimer_closes_a_claimed_conversation_others_release_it_first(client: PlaygroundClient) -> None:
    person = Person(id=200306)
    topic = await open_topic(client, person)
    gid = await group_id(client)
    await claim(client, topic["thread_id"])
    await client.send(OTHER_COUNSELLOR, "/close", chat=gid, thread_id=topic["thread_id"])
    refusal = await client.wait_for(gid, lambda ms: next((m for m in ms if "only they can close it" in m["text"]), None))
    assert refusal["text"].startswith(f"{BOT_MARK}{COUNSELLOR.first_name} has this conversation")
    assert not any("closed the conversation" in m["text"] for m in await client.messages(person.id))
    # Taking it over on purpose: /release, claim, then /close.
    await client.send(OTHER_COUNSELLOR, "/release", chat=gid, thread_id=topic["thread_id"])
    await client.wait_for(gid, lambda ms: next((m for m in ms if "Back in the queue" in m["text"]), None))
    await claim(client, topic["thread_id"], OTHER_COUNSELLOR)
    await client.send(OTHER_COUNSELLOR, "/close", chat=gid, thread_id=topic["thread_id"])
    await client.wait_for(person.id, lambda ms: next((m for m in ms if "closed the conversation" in m["text"]), None))


async def test_an_admin_writing_anonymously_as_the_group_is_told_and_nothing_is_relayed(
    client: PlaygroundClient,
) -> None:
    person = Person(id=200307)
    topic = await open_topic(client, person)
    gid = await group_id(client)
    await claim(client, topic["thread_id"])
    await client.send(COUNSELLOR, "hidden hello", chat=gid, thread_id=topic["thread_id"], anonymous=True)
    told = await client.wait_for(gid, lambda ms: next((m for m in ms if "Remain anonymous" in m["text"]), None))
    assert told["from_bot"] and told["thread_id"] == topic["thread_id"]
    assert not any(m["text"] == "hidden hello" for m in await client.messages(person.id))


async def test_pinning_a_message_is_neither_relayed_nor_answered(client: PlaygroundClient) -> None:
    """Telegram's service messages (here: a pin) are not something anyone wrote; before, a counsellor
    pinning in the topic was told "could not be passed on", a person pinning got "I can only read text"."""
    person = Person(id=200308)
    welcome = await client.reply_to(person, "/start")
    await client.api("POST", "/api/pin", {"from": person.as_from(), "chat": person.id,
                                          "message_id": welcome["message_id"]})
    topic = await open_topic(client, person)
    gid = await group_id(client)
    await claim(client, topic["thread_id"])
    hello = await client.send(COUNSELLOR, "hello, I am here", chat=gid, thread_id=topic["thread_id"])
    copy = await client.wait_for(person.id, lambda ms: next((m for m in ms if m["text"] == "hello, I am here"), None))
    await client.api("POST", "/api/pin", {"from": COUNSELLOR.as_from(), "chat": gid, "message_id": hello})
    await client.api("POST", "/api/pin", {"from": person.as_from(), "chat": person.id,
                                          "message_id": copy["message_id"]})
    # Each side's next message is handled after its pin (one chat's updates are handled in order).
    await client.send(COUNSELLOR, "after the pin", chat=gid, thread_id=topic["thread_id"])
    await client.wait_for(person.id, lambda ms: next((m for m in ms if m["text"] == "after the pin"), None))
    await client.send(person, "me too")
    await client.wait_for(gid, lambda ms: next((m for m in ms if m["text"] == "me too"), None))
    said_by_bot = [m["text"] for m in await client.messages(person.id) if m["from_bot"]]
    said_by_bot += [m["text"] for m in thread_messages(await client.messages(gid), topic["thread_id"])
                    if m["from_bot"]]
    assert not [t for t in said_by_bot if "could not be passed on" in t or "only read text" in t
                or "anonymously" in t]


async def test_a_claim_stands_when_the_notice_cannot_be_updated(client: PlaygroundClient) -> None:
    """The notice's new look is cosmetic: Telegram failing on it must not undo the claim after the
    counsellor was told "It is yours"."""
    person = Person(id=200060)
    topic = await open_topic(client, person)
    gid = await group_id(client)
    note = await notice(client, topic["thread_id"])
    await client.api("POST", "/api/faults", {"method": "editMessageText", "code": 502, "every": 1})
    try:
        await client.press_data(COUNSELLOR, note["message_id"], note["buttons"][0][0]["data"], chat=gid)
        await client.wait_for(person.id, lambda ms: next((m for m in ms if "counsellor is with you" in m["text"]), None),
                              seconds=20)
    finally:
        await client.api("DELETE", "/api/faults")
    await client.send(COUNSELLOR, "I am here for you", chat=gid, thread_id=topic["thread_id"])
    await client.wait_for(person.id, lambda ms: next((m for m in ms if m["text"] == "I am here for you"), None))
    assert not any("Claim the conversation first" in m["text"] for m in await client.messages(gid))
