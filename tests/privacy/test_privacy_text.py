"""/privacy says, in every language, what the code keeps: its figures come from the same settings
the purge uses."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from bot.i18n import create_i18n
from flows.privacy import chat_id_minutes, privacy_text
from knowledge.languages import SUPPORTED_LANGUAGES
from playground.runner import Playground
from tests.e2e.client import Person, PlaygroundClient


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_every_language_states_the_configured_figures(settings: Settings, lang: str) -> None:
    settings = settings.model_copy(
        update={
            "conversation_grace_hours": 36,
            "unanswered_retention_days": 17,
            "inactive_people_days": 45,
            "purge_interval_seconds": 300,
        }
    )
    i18n = create_i18n("en")
    with i18n.context(), i18n.use_locale(lang):
        text = privacy_text(settings)
    assert chat_id_minutes(settings) == 6
    for figure in ("36", "17", "45", "6"):
        assert figure in text, f"{lang}: {figure}"
    assert "/forget" in text and "/wipe" in text


async def test_the_bot_says_it(settings: Settings, tmp_path: Path) -> None:
    settings = settings.model_copy(update={"inactive_people_days": 45})
    pg = Playground(settings, tmp_path / "pg", port=0)
    await pg.start()
    try:
        async with PlaygroundClient(pg.url) as client:
            reply = await client.reply_to(Person(id=450001), "/privacy")
            assert "45 days" in reply["text"] and "11 min" in reply["text"]
            assert "topic in the counsellors' group" in reply["text"]
    finally:
        await pg.stop()
