"""/services: the referral directory, with only checked numbers."""

from __future__ import annotations

from tests.e2e.client import Person, PlaygroundClient, buttons, last_bot_message


async def test_the_directory_shows_organisations_and_only_checked_numbers(client: PlaygroundClient) -> None:
    person = Person(id=600001)
    directory = await client.reply_to(person, "/services")
    names = buttons(directory)
    assert {"Violett", "Boysproject", "Alias", "Espace P", "Payoke"} <= set(names)
    await client.press(person, directory, "Violett")
    violett = await client.wait_for(person.id, lambda ms: "Gent" in last_bot_message(ms)["text"] and last_bot_message(ms))
    assert "ask a counsellor" in violett["text"], "no number is invented"
    await client.press(person, violett, "Back")
    directory = await client.wait_for(person.id, lambda ms: "Violett" in buttons(last_bot_message(ms)) and last_bot_message(ms))
    await client.press(person, directory, "1813")
    line = await client.wait_for(person.id, lambda ms: "Phone: 1813" in last_bot_message(ms)["text"] and last_bot_message(ms))
    assert "24/7" in line["text"]
