"""First contact and waiting, as a person sees them: the welcome in their Telegram app's language
when we speak it (with the menu's language button), /start while waiting says they still wait,
and a question asked while waiting is answered at once and still reaches the team."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiogram.utils.i18n import gettext as _

from bot.config import Settings
from bot.i18n import create_i18n
from flows.texts import main_menu_text
from handoff.waiting import still_waiting_note
from knowledge.languages import SUPPORTED_LANGUAGES, native_name
from knowledge.loader import load_knowledge
from playground.runner import Playground
from tests.e2e.client import Person, PlaygroundClient, buttons
from tests.e2e.handoff_steps import group_id, open_topic, thread_messages

ALWAYS_OPEN = {d: "00:00-24:00" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
I18N = create_i18n("en")
KB = load_knowledge().kb


def said_in(lang: str, say) -> str:  # type: ignore[no-untyped-def]
    with I18N.context(), I18N.use_locale(lang):
        return str(say())


@pytest.mark.parametrize("lang", ["ar", "ro"])
async def test_first_contact_answers_in_the_apps_language_with_a_language_button(
    client: PlaygroundClient, lang: str
) -> None:
    person = Person(id=350001 + SUPPORTED_LANGUAGES.index(lang), language_code=lang)
    welcome = await client.reply_to(person, "/start")
    assert said_in(lang, main_menu_text) in welcome["text"]
    names = buttons(welcome)
    assert not any(native_name(code) in names for code in SUPPORTED_LANGUAGES), "no picker"
    language_button = next(b for b in names if b.startswith("🌐"))
    await client.press(person, welcome, language_button)
    picker = await client.wait_for(
        person.id, lambda ms: next((m for m in ms if f"✓ {native_name(lang)}" in buttons(m)), None)
    )
    assert picker["message_id"] == welcome["message_id"]


@pytest.mark.parametrize(("lang", "topic_id"), [("ar", "health.pep"), ("fr", "health.prep")])
async def test_waiting_people_are_told_so_and_answered_at_once(
    settings: Settings, tmp_path: Path, lang: str, topic_id: str
) -> None:
    pg = Playground(settings.model_copy(update={"opening_hours": ALWAYS_OPEN}), tmp_path / "pg", port=0)
    await pg.start()
    try:
        async with PlaygroundClient(pg.url) as client:
            person = Person(id=351001, language_code=lang)
            topic = await open_topic(client, person)
            before = len(await client.messages(person.id))
            still = await client.reply_to(person, "/start")
            assert said_in(lang, lambda: _("You are still waiting for a counsellor.")) in still["text"]
            assert not still["buttons"], "no welcome, no language picker"
            assert len(await client.messages(person.id)) == before + 2

            question = KB.translations[topic_id][lang].questions[0]
            answer = await client.reply_to(person, question, containing=KB.title(topic_id, [lang]))
            assert said_in(lang, still_waiting_note).replace("<i>", "").replace("</i>", "") in answer["text"]
            gid = await group_id(client)
            await client.wait_for(
                gid, lambda ms: any(m["text"] == question for m in thread_messages(ms, topic["thread_id"]))
            )
    finally:
        await pg.stop()
