"""Without a confident answer the bot says so honestly: "Did you mean…?" with plausible topics as
buttons in the person's language, "this service covers Belgium" for another country's law, and
every such reply ends with how to get help now."""

from __future__ import annotations

import pytest

from knowledge.engine import AnswerEngine
from tests.e2e.client import Person, PlaygroundClient, buttons, last_bot_message

ISOLATE_112 = "\u2068112\u2069"  # Arabic text keeps the number left to right


@pytest.fixture(scope="module")
def engine() -> AnswerEngine:
    return AnswerEngine.load()[0]


def offered_titles(engine: AnswerEngine, text: str, lang: str) -> list[str]:
    """The titles, in `lang`, of the topics the knowledge base finds plausible for `text`."""
    reply = engine.ask(text, lang)
    assert reply.answer is None and len(reply.match.suggestions) >= 2, reply.match
    return [engine.kb.title(topic, engine.chain(lang)) for topic in reply.match.suggestions]


async def test_an_unsure_question_in_arabic_offers_topics_in_arabic_and_a_counsellor(
    client: PlaygroundClient, engine: AnswerEngine
) -> None:
    person = Person(id=700701, language_code="ar")
    titles = offered_titles(engine, "الحماية", "ar")
    reply = await client.reply_to(person, "الحماية", containing="؟")
    assert "هل سؤالك عن أحد هذه المواضيع" in reply["text"]
    assert buttons(reply) == [*titles, "💬 شيء آخر: تحدث مع مستشار"]
    assert ISOLATE_112 in reply["text"] and "/talk" in reply["text"]

    await client.press(person, reply, titles[1])
    answer = await client.wait_for(
        person.id, lambda ms: (m := last_bot_message(ms)) and "👍" in buttons(m) and m
    )
    assert answer["message_id"] == reply["message_id"], "the chosen topic's answer replaces the question"
    assert titles[1] in answer["text"]


async def test_an_unsure_question_in_english_offers_topics_and_something_else(
    client: PlaygroundClient, engine: AnswerEngine
) -> None:
    person = Person(id=700702, language_code="en")
    titles = offered_titles(engine, "my papers", "en")
    reply = await client.reply_to(person, "my papers", containing="one of these")
    assert buttons(reply) == [*titles, "💬 Something else: talk to a counsellor"]
    assert "Call 112" in reply["text"]

    await client.press(person, reply, "💬 Something else: talk to a counsellor")
    talk = await client.wait_for(
        person.id, lambda ms: (m := last_bot_message(ms)) and m["message_id"] != reply["message_id"] and m
    )
    assert "counsellor" in talk["text"].lower()


async def test_another_countrys_law_is_not_answered_with_belgian_law(client: PlaygroundClient) -> None:
    person = Person(id=700703, language_code="en")
    reply = await client.reply_to(person, "is it legal to work as an escort in dubai", containing="Belgium")
    assert "covers Belgium only" in reply["text"]
    assert "decriminalised" not in reply["text"].lower()
    assert any("counsellor" in b.lower() for b in buttons(reply))
    assert "Call 112" in reply["text"] and "/talk" in reply["text"]


async def test_a_plain_no_answer_ends_with_help_now(client: PlaygroundClient) -> None:
    person = Person(id=700704, language_code="fr")
    reply = await client.reply_to(person, "zzz qwxv plouf", containing="112")
    assert reply["text"].rstrip().endswith("/talk")


async def test_two_needs_in_one_message_get_one_answer_and_the_other_as_a_button(
    client: PlaygroundClient, engine: AnswerEngine
) -> None:
    story = (
        "Ik werk sinds een paar maanden vanuit mijn appartement en het gaat goed. Moet ik belastingen "
        "betalen op wat ik verdien? En waar kan ik gratis condooms halen?"
    )
    expected = engine.ask(story, "nl")
    assert expected.answer is not None and len(expected.match.suggestions) == 1, expected.match
    second = expected.match.suggestions[0]
    assert {expected.answer.topic_id, second} == {"legal.taxes", "health.condoms"}
    second_title = engine.kb.title(second, engine.chain("nl"))

    person = Person(id=700705, language_code="nl")
    reply = await client.reply_to(person, story, containing=expected.answer.title)
    assert f"➕ {second_title}" in buttons(reply) and {"👍", "👎"} <= set(buttons(reply))

    await client.press(person, reply, f"➕ {second_title}")
    other = await client.wait_for(
        person.id, lambda ms: (m := last_bot_message(ms)) and second_title in m["text"] and m
    )
    assert other["message_id"] == reply["message_id"]
