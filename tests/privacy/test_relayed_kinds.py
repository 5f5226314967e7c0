"""What a person sends in a conversation that can point to them: a file is passed on only after they
confirm; a sticker or a forwarded story never (its pack or its poster's account)."""

from __future__ import annotations

import datetime as dt

from aiogram.types import Chat, Document, Message, Sticker, Story

from handoff.relay import Sharing, sharing
from tests.e2e.client import Person, PlaygroundClient
from tests.e2e.handoff_steps import claimed_topic, thread_messages

CHAT = Chat(id=1, type="private")


def _message(**content: object) -> Message:
    return Message(message_id=1, date=dt.datetime.now(dt.UTC), chat=CHAT, **content)  # type: ignore[arg-type]


def test_what_is_passed_on_how() -> None:
    assert sharing(_message(text="hello")) is Sharing.COPY
    assert (
        sharing(_message(document=Document(file_id="f", file_unique_id="u", file_name="jess_passport.pdf")))
        is Sharing.ASK
    )
    sticker = Sticker(
        file_id="s",
        file_unique_id="u",
        type="regular",
        width=1,
        height=1,
        is_animated=False,
        is_video=False,
        set_name="jess_own_pack",
    )
    assert sharing(_message(sticker=sticker)) is Sharing.WITHHELD
    assert (
        sharing(_message(story=Story(chat=Chat(id=5, type="private", username="jess"), id=3)))
        is Sharing.WITHHELD
    )


async def test_a_file_waits_for_consent_and_a_sticker_is_not_passed_on(client: PlaygroundClient) -> None:
    person = Person(id=440001)
    gid, thread = await claimed_topic(client, person)
    await client.send(person, None, media={"type": "sticker"})
    await client.wait_for(person.id, lambda ms: any("Stickers" in m["text"] for m in ms))
    await client.send(
        person,
        None,
        media={"type": "document", "file_name": "passport_jess_vermeulen.PDF"},
        caption="my papers",
    )
    ask = await client.wait_for(
        person.id, lambda ms: next((m for m in ms if "A file can show" in m["text"]), None)
    )
    assert not [m for m in thread_messages(await client.messages(gid), thread) if m["media"]], "nothing yet"
    await client.press(person, ask, "Send it")
    relayed = await client.wait_for(gid, lambda ms: [m for m in thread_messages(ms, thread) if m["media"]])
    assert [m["media"]["type"] for m in relayed] == ["document"], "the file, and no sticker"
    assert relayed[0]["media"]["file_name"] == "document.pdf", "sent under a neutral name"
    assert relayed[0]["caption"] == "my papers"
