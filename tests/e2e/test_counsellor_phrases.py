"""Curated help for counsellors who do not speak the person's language: /say sends a counsellor
phrase and /send an answer, in the person's language, while the counsellor reads them in theirs."""

from __future__ import annotations

from pathlib import Path

from bot.config import Settings
from knowledge.counsellor_phrases import PHRASE_IDS
from knowledge.languages import SUPPORTED_LANGUAGES
from knowledge.loader import load_knowledge
from tests.e2e.client import Person, PlaygroundClient
from tests.e2e.desk_steps import claim_by_place, desk_in
from tests.e2e.handoff_steps import COUNSELLOR, OTHER_COUNSELLOR, group_id, open_topic

KB = load_knowledge().kb


async def _say_one(client: PlaygroundClient, reader: Person, person: Person, choice: int) -> None:
    """`reader` claims `person`'s new conversation, opens /say and presses the `choice`th phrase."""
    gid = await group_id(client)
    topic = await open_topic(client, person)
    await claim_by_place(client, topic["thread_id"])
    before = len(await client.messages(gid))
    await client.send(reader, "/say", chat=gid, thread_id=topic["thread_id"])
    picker = await client.wait_for(gid, lambda ms: next((m for m in ms[before:] if m["buttons"]), None))
    offered = [row[0]["text"] for row in picker["buttons"]]
    assert offered == [
        KB.phrase(p, reader.language_code or "") for p in PHRASE_IDS
    ]  # in the counsellor's language
    await client.press_data(reader, picker["message_id"], picker["buttons"][choice][0]["data"], chat=gid)
    phrase = PHRASE_IDS[choice]
    theirs = KB.phrases[person.language_code or ""][phrase].text
    got = await client.wait_for(person.id, lambda ms: next((m for m in ms if m["text"] == theirs), None))
    assert got["from_bot"]
    yours = KB.phrase(phrase, reader.language_code or "")
    assert yours is not None
    await client.wait_for(
        gid,
        lambda ms: next(
            (
                m
                for m in ms[before:]
                if m["thread_id"] == topic["thread_id"]
                and yours in m["text"]
                and m["text"].startswith("🤖")
                and not m["buttons"]
            ),
            None,
        ),
    )


async def test_say_sends_each_phrase_in_all_twelve_languages(settings: Settings, tmp_path: Path) -> None:
    reader = Person(id=COUNSELLOR.id, first_name=COUNSELLOR.first_name, language_code="ar")
    async with desk_in(settings, tmp_path, "en") as client:
        for index, lang in enumerate(SUPPORTED_LANGUAGES):
            await _say_one(
                client, reader, Person(id=330001 + index, language_code=lang), index % len(PHRASE_IDS)
            )


async def test_say_and_send_are_only_for_the_claimer(settings: Settings, tmp_path: Path) -> None:
    async with desk_in(settings, tmp_path, "ar") as client:
        gid = await group_id(client)
        person = Person(id=331001, language_code="fr")
        topic = await open_topic(client, person)
        await client.send(COUNSELLOR, "/say", chat=gid, thread_id=topic["thread_id"])
        await client.wait_for(
            gid,
            lambda ms: next(
                (
                    m
                    for m in ms
                    if m["thread_id"] == topic["thread_id"]
                    and m["from_bot"]
                    and m["reply_to"]
                    and not m["buttons"]
                ),
                None,
            ),
        )
        await claim_by_place(client, topic["thread_id"])
        seen = len(await client.messages(person.id))
        await client.send(OTHER_COUNSELLOR, "/send health.pep", chat=gid, thread_id=topic["thread_id"])
        await client.wait_for(
            gid, lambda ms: next((m for m in ms if "Sara" in m["text"] and m["reply_to"]), None)
        )
        assert len(await client.messages(person.id)) == seen


async def _send_one(
    client: PlaygroundClient, reader: Person, person: Person, asked: str, topic_id: str
) -> None:
    gid = await group_id(client)
    topic = await open_topic(client, person)
    await claim_by_place(client, topic["thread_id"])
    await client.send(reader, f"/send {asked}", chat=gid, thread_id=topic["thread_id"])
    theirs = KB.answer(topic_id, [person.language_code or ""])
    assert theirs is not None and theirs.lang == person.language_code
    got = await client.wait_for(
        person.id, lambda ms: next((m for m in ms if m["text"].startswith(theirs.title)), None)
    )
    assert got["from_bot"] and not got["buttons"]
    yours = KB.title(topic_id, [reader.language_code or ""])
    assert yours != theirs.title
    shown = await client.wait_for(
        gid,
        lambda ms: next(
            (m for m in ms if m["thread_id"] == topic["thread_id"] and f"« {yours} »" in m["text"]), None
        ),
    )
    assert shown["text"].startswith("🤖")


async def test_send_gives_the_answer_in_the_persons_language_and_shows_it_in_the_counsellors(
    settings: Settings, tmp_path: Path
) -> None:
    reader = Person(id=COUNSELLOR.id, first_name=COUNSELLOR.first_name, language_code="fr")
    async with desk_in(settings, tmp_path, "ar") as client:
        for index, (lang, asked, topic_id) in enumerate(
            [
                ("ar", "health.pep", "health.pep"),
                ("th", "health.pep", "health.pep"),
                ("ru", "legal.residence", "legal.residence"),
                ("nl", "pregnancy test", "health.pregnancy"),
            ]
        ):
            await _send_one(client, reader, Person(id=332001 + index, language_code=lang), asked, topic_id)
