"""A question without an answer is kept for the editors only with the person's consent, scrubbed;
never what someone writes in or right after a conversation with a counsellor."""

from __future__ import annotations

from sqlalchemy import select

from playground.runner import Playground
from storage.models import UnansweredQuestion
from tests.e2e.client import Person, PlaygroundClient, buttons, last_bot_message
from tests.e2e.handoff_steps import open_topic

ASK = "May we keep your question"
NO_ANSWER = "marmalade tractor purple elephant, ring o478 I23 456"


async def _kept(playground: Playground) -> list[str]:
    assert playground.parts is not None
    async with playground.parts.sessions() as session:
        return list((await session.scalars(select(UnansweredQuestion.text))).all())


async def _asked(client: PlaygroundClient, person: Person, text: str) -> dict:
    await client.send(person, text)
    return await client.wait_for(person.id, lambda ms: next((m for m in ms if ASK in m["text"]), None))


async def test_nothing_is_kept_without_a_yes(client: PlaygroundClient, playground: Playground) -> None:
    person = Person(id=430001)
    ask = await _asked(client, person, NO_ANSWER)
    assert buttons(ask) == ["Yes, keep it", "No"]
    assert await _kept(playground) == [], "nothing before they answer"
    await client.press(person, ask, "No")
    await client.wait_for(
        person.id, lambda ms: not next(m for m in ms if m["message_id"] == ask["message_id"])["buttons"]
    )
    assert await _kept(playground) == []


async def test_a_yes_keeps_it_scrubbed(client: PlaygroundClient, playground: Playground) -> None:
    person = Person(id=430002)
    ask = await _asked(client, person, NO_ANSWER)
    await client.press(person, ask, "Yes")
    await client.wait_for(
        person.id, lambda ms: not next(m for m in ms if m["message_id"] == ask["message_id"])["buttons"]
    )
    kept = await _kept(playground)
    assert kept == ["marmalade tractor purple elephant, ring […]"]
    assert any("kept" in alert["text"] for alert in client.last_alerts)


async def test_nothing_written_after_a_conversation_is_kept_or_asked(
    client: PlaygroundClient, playground: Playground
) -> None:
    person = Person(id=430003)
    await open_topic(client, person)
    await client.reply_to(person, "/end")
    await client.reply_to(person, "Anouk works at the Blue Moon bar in Liège, marmalade tractor")
    await client.reply_to(person, "/start")  # every reply to the message above has come by now
    assert not any(ASK in m["text"] for m in await client.messages(person.id))
    assert last_bot_message(await client.messages(person.id)) is not None
    assert await _kept(playground) == []
