"""A person asks for a human and gets one; neither side learns who the other is."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.config import Settings
from handoff.notices import BOT_MARK
from playground.runner import Playground
from tests.e2e.client import Person, PlaygroundClient, buttons, last_bot_message
from tests.e2e.handoff_steps import (
    COUNSELLOR,
    OTHER_COUNSELLOR,
    claim,
    group_id,
    new_topic,
    notice,
    open_topic,
    thread_messages,
    topic_count,
)

ALWAYS_OPEN = {d: "00:00-24:00" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


async def test_talk_opens_a_topic_whose_notice_claims_and_both_sides_talk(client: PlaygroundClient) -> None:
    person = Person(id=200001, first_name="Maria", last_name="Secret", username="maria_private", language_code="en")
    topic = await open_topic(client, person)
    assert topic["name"].startswith("Guest ")
    assert "Maria" not in topic["name"] and "maria_private" not in topic["name"]

    gid = await group_id(client)
    await client.send(person, "I need help with papers")
    relayed = await client.wait_for(gid, lambda ms: next((m for m in thread_messages(ms, topic["thread_id"])
                                                          if m["text"] == "I need help with papers"), None))
    assert relayed["forward_origin"] is None and relayed["from_bot"], "copied by the bot, never forwarded"

    await claim(client, topic["thread_id"])
    await client.wait_for(person.id, lambda ms: "counsellor is with you" in last_bot_message(ms)["text"])
    await client.send(COUNSELLOR, "Hello, I am here. How can I help?", chat=gid, thread_id=topic["thread_id"])
    got = await client.wait_for(person.id, lambda ms: next((m for m in ms if m["text"] == "Hello, I am here. How can I help?"), None))
    assert got["from_bot"] and got["forward_origin"] is None

    await client.send(COUNSELLOR, "/close", chat=gid, thread_id=topic["thread_id"])
    closed = await client.wait_for(person.id, lambda ms: "closed the conversation" in last_bot_message(ms)["text"])
    assert {"👍", "👎"} <= set(buttons(last_bot_message(await client.messages(person.id))))
    assert closed
    topics = (await client.chat(gid))["topics"]
    assert next(t for t in topics if t["thread_id"] == topic["thread_id"])["closed"] is True


async def test_a_second_claim_is_refused_and_told_who_has_it(client: PlaygroundClient) -> None:
    person = Person(id=200002)
    topic = await open_topic(client, person)
    gid = await group_id(client)
    note = await notice(client, topic["thread_id"])
    data = note["buttons"][0][0]["data"]
    # Both press at once: exactly one gets it, whichever Telegram delivers first.
    await asyncio.gather(client.press_data(COUNSELLOR, note["message_id"], data, chat=gid),
                         client.press_data(OTHER_COUNSELLOR, note["message_id"], data, chat=gid))
    claimed = await client.wait_for(gid, lambda ms: next((m for m in ms if m["message_id"] == note["message_id"]
                                                          and "Claimed by" in m["text"]), None))
    assert claimed["buttons"] == []
    winner, loser = (COUNSELLOR, OTHER_COUNSELLOR) if "Claimed by Sara" in claimed["text"] else (OTHER_COUNSELLOR, COUNSELLOR)
    alerts = await client.wait_for(gid, lambda ms: [a["text"] for a in client.last_alerts if "already has" in a["text"]])
    assert alerts == [f"{winner.first_name} already has this conversation."]
    # The winner's press again (pressed twice, or delivered again after a failure): still theirs.
    seen = len((await client.chat(gid))["alerts"])
    await client.press_data(winner, note["message_id"], data, chat=gid)
    again = await client.wait_for(gid, lambda ms: client.last_alerts[seen:])
    assert [a["text"] for a in again] == ["It is yours. Write in this topic to answer."]
    assert len([m for m in await client.messages(person.id) if "counsellor is with you" in m["text"]]) == 1
    await client.send(loser, "let me take over", chat=gid, thread_id=topic["thread_id"])
    refusal = await client.wait_for(gid, lambda ms: next((m for m in ms if "only their messages" in m["text"]), None))
    assert winner.first_name in refusal["text"]
    assert not any(m["text"] == "let me take over" for m in await client.messages(person.id))


async def test_a_stranger_cannot_claim_and_forged_claims_are_refused(client: PlaygroundClient) -> None:
    person = Person(id=200003)
    topic = await open_topic(client, person)
    gid = await group_id(client)
    note = await notice(client, topic["thread_id"])
    stranger = Person(id=555000, first_name="Eve")
    await client.press_data(stranger, note["message_id"], note["buttons"][0][0]["data"], chat=gid)
    conv_id = note["buttons"][0][0]["data"].split(":")[1]
    await client.press_data(COUNSELLOR, note["message_id"], f"claim:{conv_id}:forged000000", chat=gid)
    await client.press_data(COUNSELLOR, note["message_id"], "claim:99999:abc", chat=gid)
    messages = await client.messages(gid)
    still = next(m for m in messages if m["message_id"] == note["message_id"])
    assert still["buttons"] and "Claimed" not in still["text"]


async def test_crisis_conversations_are_marked_and_first_in_the_queue(client: PlaygroundClient) -> None:
    calm = Person(id=200004)
    await open_topic(client, calm)
    urgent = Person(id=200005)
    crisis_reply = await client.reply_to(urgent, "i want to die", containing="1813")
    # "Talk to a counsellor now" in opening hours, "Leave a message for the team" outside them.
    await client.press_data(urgent, crisis_reply["message_id"], crisis_reply["buttons"][0][0]["data"])
    gid = await group_id(client)
    place = await client.wait_for(urgent.id, lambda ms: next((m["text"] for m in ms if m["message_id"] > crisis_reply["message_id"]
                                                              and ("in line" in m["text"] or "not online" in m["text"])), None))
    assert "number 1 in line" in place or "not online" in place
    assert any(t["name"].startswith("🆘") for t in (await client.chat(gid))["topics"])
    await client.send(COUNSELLOR, "/queue", chat=gid)
    overview = await client.wait_for(gid, lambda ms: next((m for m in ms if m["text"].startswith(BOT_MARK + "Waiting:")), None))
    assert "crisis: 1" in overview["text"]


async def test_media_is_relayed_both_ways_and_location_asks_first(client: PlaygroundClient) -> None:
    person = Person(id=200006)
    topic = await open_topic(client, person)
    gid = await group_id(client)
    await claim(client, topic["thread_id"])
    # A file asks first (its name, what is inside it); a sticker is never passed on (tests/privacy).
    kinds = ("photo", "voice", "video", "video_note", "audio", "animation")
    for kind in kinds:
        await client.send(person, None, media={"type": kind}, caption=None)
    await client.wait_for(gid, lambda ms: len([m for m in thread_messages(ms, topic["thread_id"]) if m["media"]]) >= len(kinds))
    for kind in ("photo", "voice", "video_note"):
        await client.send(COUNSELLOR, None, chat=gid, thread_id=topic["thread_id"], media={"type": kind})
    await client.wait_for(person.id, lambda ms: len([m for m in ms if m["from_bot"] and m["media"]]) >= 3)

    await client.send(person, None, location={"latitude": 51.2, "longitude": 4.4})
    question = await client.wait_for(person.id, lambda ms: next((m for m in ms if "location or contact" in m["text"]), None))
    assert not any(m.get("location") for m in thread_messages(await client.messages(gid), topic["thread_id"]))
    await client.press(person, question, "Send it")
    await client.wait_for(gid, lambda ms: any(m.get("location") for m in thread_messages(ms, topic["thread_id"])))


async def test_a_person_who_blocked_the_bot_closes_the_conversation(client: PlaygroundClient) -> None:
    person = Person(id=200007)
    topic = await open_topic(client, person)
    gid = await group_id(client)
    await claim(client, topic["thread_id"])
    await client.wait_for(person.id, lambda ms: "counsellor is with you" in last_bot_message(ms)["text"])
    await client.api("POST", "/api/block", {"user": person.id, "blocked": True})
    await client.send(COUNSELLOR, "are you there?", chat=gid, thread_id=topic["thread_id"])
    await client.wait_for(gid, lambda ms: next((m for m in ms if "blocked the bot" in m["text"]), None))


async def test_end_closes_and_offers_a_rating(client: PlaygroundClient) -> None:
    person = Person(id=200008)
    topic = await open_topic(client, person)
    reply = await client.reply_to(person, "/end", containing="ended")
    await client.press(person, reply, "👍")
    gid = await group_id(client)
    await client.wait_for(gid, lambda ms: next((m for m in thread_messages(ms, topic["thread_id"]) if "ended the conversation" in m["text"]), None))


async def test_the_talk_goes_on_in_the_same_topic_after_a_restart(settings: Settings, tmp_path: Path) -> None:
    settings = settings.model_copy(update={"opening_hours": ALWAYS_OPEN})
    data = tmp_path / "pg"
    person = Person(id=200009)
    first = Playground(settings, data, port=0)
    await first.start()
    try:
        async with PlaygroundClient(first.url) as client:
            topic = await open_topic(client, person)
            await claim(client, topic["thread_id"])
            await client.wait_for(person.id, lambda ms: "counsellor is with you" in last_bot_message(ms)["text"])
    finally:
        await first.stop()
    second = Playground(settings, data, port=0)
    await second.start()
    try:
        async with PlaygroundClient(second.url) as client:
            gid = await group_id(client)
            await client.send(person, "still there after the restart?")
            await client.wait_for(gid, lambda ms: next((m for m in thread_messages(ms, topic["thread_id"]) if m["text"] == "still there after the restart?"), None))
            await client.send(COUNSELLOR, "yes, same topic", chat=gid, thread_id=topic["thread_id"])
            await client.wait_for(person.id, lambda ms: next((m for m in ms if m["text"] == "yes, same topic"), None))
            await client.send(COUNSELLOR, "/close", chat=gid, thread_id=topic["thread_id"])
            await client.wait_for(person.id, lambda ms: "closed the conversation" in last_bot_message(ms)["text"])
            relayed = [m for m in thread_messages(await client.messages(gid), topic["thread_id"]) if m["text"] == "still there after the restart?"]
            assert len(relayed) == 1, "relayed once, not again after the restart"
    finally:
        await second.stop()


async def test_release_puts_the_conversation_back_for_another_counsellor(client: PlaygroundClient) -> None:
    person = Person(id=200010)
    topic = await open_topic(client, person)
    gid = await group_id(client)
    await claim(client, topic["thread_id"])
    await client.send(COUNSELLOR, "/release", chat=gid, thread_id=topic["thread_id"])
    await client.wait_for(gid, lambda ms: any("Back in the queue" in m["text"] for m in ms))
    note = await client.wait_for(gid, lambda ms: next((m for m in ms if m["thread_id"] == topic["thread_id"]
                                                       and m["from_bot"] and m["buttons"]), None))
    await client.press_data(OTHER_COUNSELLOR, note["message_id"], note["buttons"][0][0]["data"], chat=gid)
    await client.wait_for(gid, lambda ms: any("Claimed by Tom" in m["text"] for m in ms))
    await client.send(OTHER_COUNSELLOR, "Tom here, I take over", chat=gid, thread_id=topic["thread_id"])
    await client.wait_for(person.id, lambda ms: any(m["text"] == "Tom here, I take over" for m in ms))


async def test_outside_opening_hours_a_message_can_be_left_for_the_team(settings: Settings, tmp_path: Path) -> None:
    closed = settings.model_copy(update={"opening_hours": {}})
    pg = Playground(closed, tmp_path / "pg", port=0)
    await pg.start()
    try:
        async with PlaygroundClient(pg.url) as client:
            person = Person(id=200011)
            topic = await open_topic(client, person)
            reply = last_bot_message(await client.messages(person.id))
            assert "not online" in reply["text"] and "112" in reply["text"]
            await client.send(person, "please call me back tomorrow about my papers")
            gid = await group_id(client)
            await client.wait_for(gid, lambda ms: any(m["text"] == "please call me back tomorrow about my papers"
                                                      for m in thread_messages(ms, topic["thread_id"])))
    finally:
        await pg.stop()


async def test_an_update_delivered_twice_is_handled_once(client: PlaygroundClient, playground: Playground) -> None:
    from aiogram.types import Update

    person = Person(id=200012)
    topic = await open_topic(client, person)
    assert playground.dp is not None and playground.bot is not None
    gid = await group_id(client)
    # The stand-in copies what it holds under that id: reuse a message the person really sent.
    sent = await client.send(person, "only once")
    await client.wait_for(gid, lambda ms: any(m["text"] == "only once" for m in ms))
    update = Update.model_validate({
        "update_id": 999_999,
        "message": {"message_id": sent, "date": 1_795_000_000, "chat": {"id": person.id, "type": "private"},
                    "from": {"id": person.id, "is_bot": False, "first_name": person.first_name}, "text": "only once"},
    })
    await playground.dp.feed_update(playground.bot, update)
    await playground.dp.feed_update(playground.bot, update)
    relayed = [m for m in thread_messages(await client.messages(gid), topic["thread_id"]) if m["text"] == "only once"]
    assert len(relayed) == 2, "the original, and the redelivered update once — not twice"


async def test_someone_without_a_stored_row_who_opens_a_talk_by_button_is_relayed(client: PlaygroundClient) -> None:
    # /forget removes the person's row; a button press stores none. Their conversation is open all
    # the same, and what they write next must reach the counsellor, not the question matcher.
    from flows.callbacks import TalkRequest

    person = Person(id=200777)
    menu = await client.reply_to(person, "/start")
    await client.reply_to(person, "/forget")
    before = await topic_count(client)
    await client.press_data(person, menu["message_id"], TalkRequest().pack())
    thread_id = (await new_topic(client, before))["thread_id"]
    await client.send(person, "please pass this on to someone")
    await client.wait_for(await group_id(client), lambda ms: next((m for m in thread_messages(ms, thread_id)
                                                if m["text"] == "please pass this on to someone"), None))


async def test_a_topic_deleted_by_hand_is_opened_again_and_the_message_still_arrives(client: PlaygroundClient) -> None:
    from playground.runner import PLAYGROUND_TOKEN

    person = Person(id=200099)
    topic = await open_topic(client, person)
    gid = await group_id(client)
    await client.api("POST", f"/bot{PLAYGROUND_TOKEN}/deleteForumTopic",
                     {"chat_id": gid, "message_thread_id": topic["thread_id"]})
    before = await topic_count(client)
    await client.send(person, "are you still there?")
    again = await new_topic(client, before)
    assert again["thread_id"] != topic["thread_id"]
    relayed = await client.wait_for(gid, lambda ms: next((m for m in thread_messages(ms, again["thread_id"])
                                                          if m["text"] == "are you still there?"), None))
    assert relayed["from_bot"] and relayed["forward_origin"] is None
    await client.send(person, "and this one?")  # the conversation now lives in the new topic
    await client.wait_for(gid, lambda ms: next((m for m in thread_messages(ms, again["thread_id"])
                                                if m["text"] == "and this one?"), None))
    assert await topic_count(client) == before + 1


async def test_danger_written_while_waiting_gets_the_numbers_and_moves_to_the_front(client: PlaygroundClient) -> None:
    """In an open conversation no one has claimed yet, messages go to the topic; danger among them
    also gets the numbers at once and puts the conversation first in the queue (🆘)."""
    person = Person(id=200050)
    topic = await open_topic(client, person)
    assert not topic["name"].startswith("🆘")
    reply = await client.reply_to(person, "he's going to kill me, he is at the door", containing="112")
    assert "🆘" in reply["text"]
    gid = await group_id(client)
    await client.wait_for(gid, lambda ms: next((m for m in thread_messages(ms, topic["thread_id"])
                                                if m["text"] == "he's going to kill me, he is at the door"), None))
    topics = (await client.chat(gid))["topics"]
    assert next(t for t in topics if t["thread_id"] == topic["thread_id"])["name"].startswith("🆘")
