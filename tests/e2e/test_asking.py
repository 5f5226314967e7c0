"""A person opens the bot, picks a language, browses, asks in their own words."""

from __future__ import annotations

import pytest

from tests.e2e.client import Person, PlaygroundClient, buttons, find_button, last_bot_message


async def test_start_offers_languages_in_their_own_names_then_the_menu(client: PlaygroundClient) -> None:
    """An app in a language we do not speak (German): the picker first."""
    anna = Person(language_code="de")
    greeting = await client.reply_to(anna, "/start")
    names = buttons(greeting)
    assert {"Nederlands", "Français", "✓ English", "العربية", "ไทย", "Български"} <= set(names)

    await client.press(anna, greeting, "English")
    menu = await client.wait_for(anna.id, lambda ms: next((m for m in ms if "Health" in str(m["buttons"])), None))
    assert menu["message_id"] == greeting["message_id"], "the picker is edited into the menu, not a new message"


async def test_browsing_category_topic_answer_edits_one_message(client: PlaygroundClient) -> None:
    ben = Person(id=100002, language_code="en")
    menu = await client.reply_to(ben, "/start")
    assert "Health" in str(menu["buttons"])
    await client.press(ben, menu, "Health")
    topics = await client.wait_for(ben.id, lambda ms: "PEP" in str(last_bot_message(ms)["buttons"]) and last_bot_message(ms))
    await client.press(ben, topics, "PEP")
    answer = await client.wait_for(ben.id, lambda ms: "72" in last_bot_message(ms)["text"] and last_bot_message(ms))
    assert answer["message_id"] == menu["message_id"]
    assert {"👍", "👎"} <= set(buttons(answer))
    assert any("counsellor" in b.lower() for b in buttons(answer))


@pytest.mark.parametrize(
    ("lang", "question", "words"),
    [
        ("nl", "het condoom is gescheurd, wat nu?", ["72"]),
        ("en", "the condom broke, what now?", ["72"]),
        ("fr", "la capote a craqué, je fais quoi ?", ["72"]),
    ],
)
async def test_a_broken_condom_gets_the_pep_answer_in_the_persons_language(
    client: PlaygroundClient, lang: str, question: str, words: list[str]
) -> None:
    person = Person(id=100010, language_code=lang)
    reply = await client.reply_to(person, question)
    assert all(word in reply["text"] for word in words)
    assert "PEP" in reply["text"]
    assert {"👍", "👎"} <= set(buttons(reply))


async def test_an_unknown_question_gets_an_honest_no_answer_and_a_person(client: PlaygroundClient) -> None:
    person = Person(id=100011)
    reply = await client.reply_to(person, "what's the weather tomorrow")
    assert "don't have a good answer" in reply["text"]
    assert any("counsellor" in b.lower() for b in buttons(reply))


async def test_a_crisis_gets_emergency_numbers_at_once(client: PlaygroundClient) -> None:
    person = Person(id=100012)
    reply = await client.reply_to(person, "he is going to kill me, help", containing="112")
    assert "112" in reply["text"]
    # A talk now in opening hours, a message for the team outside them (tests/e2e/test_crisis_path.py).
    assert any("counsellor" in b.lower() or "leave a message" in b.lower() for b in buttons(reply))


async def test_danger_typed_with_apostrophes_or_as_an_emoji_is_a_crisis(client: PlaygroundClient) -> None:
    """Phone keyboards put in the apostrophe: "he's", "I’m", "don't" read as "hes", "im", "dont"."""
    for offset, text in enumerate(["He's beating me", "I’m in danger", "I don't want to be alive anymore",
                                   "she's hurting me", "🆘"]):
        reply = await client.reply_to(Person(id=100030 + offset), text, containing="🆘")
        assert "112" in reply["text"] or "1813" in reply["text"], text


async def test_a_crisis_reply_is_not_followed_by_an_unrelated_answer(client: PlaygroundClient) -> None:
    """"je veux mourir" also resembles the questions about living with HIV: only the numbers come."""
    person = Person(id=100036, language_code="fr")
    await client.reply_to(person, "je veux mourir", containing="0800 32 123")
    await client.send(person, "/help")  # handled after the crisis message: its replies are all in
    await client.wait_for(person.id, lambda ms: len([m for m in ms if m["from_bot"]]) >= 2 or None)
    replies = [m for m in await client.messages(person.id) if m["from_bot"]]
    assert "0800 32 123" in replies[0]["text"]
    assert not any("👍" in buttons(m) for m in replies), [m["text"][:60] for m in replies]


async def test_danger_in_a_photos_caption_gets_the_numbers(client: PlaygroundClient) -> None:
    person = Person(id=100037)
    reply = await client.reply_to(person, None, media={"type": "photo"}, caption="he is going to kill me help",
                                  containing="112")
    assert "only read text" not in reply["text"]
    answer = await client.reply_to(person, None, media={"type": "photo"}, caption="what is prep")
    assert "PrEP" in answer["text"]


async def test_without_a_known_language_the_answer_and_crisis_text_follow_what_was_written(
        client: PlaygroundClient) -> None:
    """A Telegram app in German (no catalog): the Arabic-speaking person gets Arabic, not English."""
    person = Person(id=100038, language_code="de")
    crisis = await client.reply_to(person, "سيقتلني", containing="112")
    assert "🆘" in crisis["text"] and "danger" not in crisis["text"]
    answer = await client.reply_to(Person(id=100039, language_code=None), "презерватив се скъса")
    assert any("\u0400" <= ch <= "\u04ff" for ch in answer["text"]), answer["text"][:80]


async def test_a_calm_question_about_screening_clients_is_not_a_crisis(client: PlaygroundClient) -> None:
    person = Person(id=100013)
    reply = await client.reply_to(person, "how do i screen clients before meeting them")
    assert "🆘" not in reply["text"]


async def test_feedback_is_thanked_and_its_buttons_disappear(client: PlaygroundClient) -> None:
    person = Person(id=100014)
    answer = await client.reply_to(person, "what is prep")
    await client.press(person, answer, "👍")
    edited = await client.wait_for(
        person.id, lambda ms: next((m for m in ms if m["message_id"] == answer["message_id"] and "👍" not in buttons(m)), None)
    )
    assert any("counsellor" in b.lower() for b in buttons(edited))


async def test_forged_and_stale_buttons_are_refused_without_change(client: PlaygroundClient) -> None:
    person = Person(id=100015)
    answer = await client.reply_to(person, "what is prep")
    for data in ("menu:health:health.nonexistent", "lang:xx", "fb:nope:1", "garbage", "menu:evil:"):
        await client.press_data(person, answer["message_id"], data)
    await client.reply_to(person, "/help")
    messages = await client.messages(person.id)
    same = next(m for m in messages if m["message_id"] == answer["message_id"])
    assert same["text"] == answer["text"]


async def test_media_outside_a_conversation_is_answered_politely(client: PlaygroundClient) -> None:
    person = Person(id=100016)
    for kind in ("photo", "voice", "sticker", "video_note", "document"):
        reply = await client.reply_to(person, None, media={"type": kind}, containing="only read text")
        assert "/talk" in reply["text"]


async def test_a_message_of_4096_characters_is_handled(client: PlaygroundClient) -> None:
    person = Person(id=100017)
    reply = await client.reply_to(person, ("condom broke " * 400)[:4096])
    assert reply["from_bot"]


async def test_the_chosen_language_is_kept_and_used_for_answers(client: PlaygroundClient) -> None:
    person = Person(id=100018, language_code="en")
    picker = await client.reply_to(person, "/language")
    await client.press(person, picker, "Français")
    await client.wait_for(person.id, lambda ms: "Français" in last_bot_message(ms)["text"])
    reply = await client.reply_to(person, "what is prep")
    assert reply["text"].startswith("<") is False
    assert "PrEP" in reply["text"]
    prep_fr = reply["text"]
    assert find_button(reply, "👍")
    assert "2017" in prep_fr
