"""The danger check: when the crisis check is unsure, the bot asks "Are you in danger right now?" first."""

from __future__ import annotations

from flows.callbacks import TalkRequest
from knowledge.engine import AnswerEngine
from tests.e2e.client import Person, PlaygroundClient, buttons

# Messages the crisis check is unsure about (asserted below, so a retrained model that decides them
# either way makes this test say so instead of testing nothing).
UNSURE_AR = "انا خايفة بزاف، هو برا وكيقول غادي يجي"
UNSURE_FR = "un client me menace"


def test_the_messages_used_here_are_in_the_unsure_band() -> None:
    engine = AnswerEngine.load()[0]
    for text, lang in ((UNSURE_AR, "ar"), (UNSURE_FR, "fr")):
        assert engine.ask(text, lang).danger_check is not None, text


async def test_yes_in_arabic_gets_the_crisis_reply_and_the_counsellor_first(client: PlaygroundClient) -> None:
    person = Person(id=100200, language_code="ar")
    question = await client.reply_to(person, UNSURE_AR)
    assert "هل أنت في خطر الآن؟" in question["text"]
    assert buttons(question) == ["🆘 نعم، أنا في خطر", "لا، أنا بأمان"]

    await client.press(person, question, "نعم")
    reply = await client.wait_for(
        person.id, lambda ms: next((m for m in ms if m["from_bot"] and "112" in m["text"]), None)
    )
    assert "🆘" in reply["text"]
    talk = reply["buttons"][0][0]  # "talk now" in hours, "leave a message" at night: the same request
    assert TalkRequest.unpack(talk["data"]).topic == "crisis", "the same first place in the queue as a crisis"
    asked = next(m for m in await client.messages(person.id) if m["message_id"] == question["message_id"])
    assert buttons(asked) == [], "one answer per question: the buttons are gone"


async def test_no_in_french_carries_on_with_the_answer_the_message_would_have_had(
    client: PlaygroundClient,
) -> None:
    person = Person(id=100201, language_code="fr")
    question = await client.reply_to(person, UNSURE_FR)
    assert "Es-tu en danger en ce moment ?" in question["text"]

    before = len(await client.messages(person.id))
    await client.press(person, question, "Non")
    reply = await client.wait_for(person.id, lambda ms: next((m for m in ms[before:] if m["from_bot"]), None))
    crisis_talk = TalkRequest(topic="crisis").pack()
    assert all(b["data"] != crisis_talk for row in reply["buttons"] for b in row), "not the crisis reply"
    # The answer that message gets without the question: how to deal with a violent client, in French.
    expected = AnswerEngine.load()[0].ask(UNSURE_FR, "fr").answer
    assert expected is not None and expected.topic_id == "safety.violent_client" and expected.lang == "fr"
    assert expected.title in reply["text"]
    assert {"👍", "👎"} <= set(buttons(reply))
    asked = next(m for m in await client.messages(person.id) if m["message_id"] == question["message_id"])
    assert buttons(asked) == []
