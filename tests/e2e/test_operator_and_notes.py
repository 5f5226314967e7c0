"""Who runs the bot comes from the settings (the knowledge base never names it), and the "draft
translation" note is said once in a conversation, not under every answer."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import Settings
from bot.i18n import create_i18n
from flows.texts import draft_note
from playground.runner import Playground
from tests.e2e.client import Person, PlaygroundClient


@pytest.fixture
async def named(settings: Settings, tmp_path: Path) -> AsyncIterator[PlaygroundClient]:
    settings = settings.model_copy(
        update={"operator_name": "Example Outreach vzw", "operator_contact": "hello@example.org"}
    )
    pg = Playground(settings, tmp_path / "pg", port=0)
    await pg.start()
    try:
        async with PlaygroundClient(pg.url) as client:
            yield client
    finally:
        await pg.stop()


async def test_the_deploying_organisation_is_named_in_about_privacy_and_help(named: PlaygroundClient) -> None:
    person = Person(id=610001)
    for asked in ("who runs this", "/privacy", "/help"):
        reply = await named.reply_to(person, asked)
        assert "This service is run by Example Outreach vzw. Contact: hello@example.org" in reply["text"], (
            asked
        )


async def test_unset_the_bot_says_so_instead_of_naming_anyone(client: PlaygroundClient) -> None:
    person = Person(id=610002)
    for asked in ("who runs this", "/privacy", "/help"):
        reply = await client.reply_to(person, asked)
        assert "has not added its name here yet" in reply["text"], asked
    about = await client.reply_to(person, "who runs this")
    assert "This service is run by" not in about["text"]


async def test_the_draft_note_is_said_once_in_a_conversation(client: PlaygroundClient) -> None:
    person = Person(id=610003, language_code="bg")
    i18n = create_i18n("en")
    with i18n.context(), i18n.use_locale("bg"):
        note = re.sub(r"</?i>", "", draft_note())
    first = await client.reply_to(person, "презерватив се скъса")
    second = await client.reply_to(person, "какво е PrEP")
    third = await client.reply_to(person, "презерватив се скъса")
    assert note in first["text"]
    assert note not in second["text"] and note not in third["text"]
    assert first["text"].split("\n")[0] == third["text"].split("\n")[0], "the same answer, without the note"
