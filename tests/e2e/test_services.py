"""/services: the referral directory, with only checked numbers."""

from __future__ import annotations

from tests.e2e.client import Person, PlaygroundClient, buttons, last_bot_message


async def test_the_directory_shows_organisations_and_only_checked_numbers(client: PlaygroundClient) -> None:
    person = Person(id=600001)
    directory = await client.reply_to(person, "/services")
    names = buttons(directory)
    assert {"Violett", "Boysproject", "Alias", "Espace P", "Payoke"} <= set(names)
    await client.press(person, directory, "Violett")
    violett = await client.wait_for(person.id, lambda ms: last_bot_message(ms)["text"].startswith("Violett")
                                    and last_bot_message(ms))
    assert "ask a counsellor" in violett["text"], "no number is invented"
    await client.press(person, violett, "Back")
    directory = await client.wait_for(person.id, lambda ms: "Violett" in buttons(last_bot_message(ms)) and last_bot_message(ms))
    await client.press(person, directory, "1813")
    line = await client.wait_for(person.id, lambda ms: "Phone: 1813" in last_bot_message(ms)["text"] and last_bot_message(ms))
    assert "24/7" in line["text"]


async def test_each_entry_says_in_one_line_what_it_is_for_and_how_and_when_to_reach_it(
        client: PlaygroundClient) -> None:
    directory = await client.reply_to(Person(id=600002, language_code="fr"), "/services")
    lines = {line.split(":")[0]: line for line in directory["text"].splitlines() if line.startswith("• ")}
    assert len(lines) == len(buttons(directory)) - 1, "one line per service (and the menu button)"
    trafficking = lines["• Ligne nationale pour les victimes de la traite"]
    assert "victimes de traite" in trafficking and "078 05 58 00" in trafficking and "24/7" in trafficking
    assert "pas pour les urgences" in next(line for key, line in lines.items() if "1712" in key)
    assert "0800 32 123" in next(line for key, line in lines.items() if "Prévention du Suicide" in key)
