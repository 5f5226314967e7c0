"""A person's 👍 / 👎 under an answer, seen through to the editors' report: "Was this helpful?" goes
with its buttons; after 👎 the person says what was wrong, and the report counts it per topic."""

from __future__ import annotations

import pytest
from aiogram.utils.i18n import gettext as _

from bot.i18n import create_i18n
from flows.feedback import reason_buttons
from knowledge.loader import load_knowledge
from tests.e2e.client import Person, PlaygroundClient, buttons
from tests.web.conftest import Admin

I18N = create_i18n("en")
KB = load_knowledge().kb


def said_in(lang: str, say) -> str:  # type: ignore[no-untyped-def]
    with I18N.context(), I18N.use_locale(lang):
        return say()


async def _answer(client: PlaygroundClient, person: Person, topic_id: str) -> dict:  # type: ignore[type-arg]
    lang = person.language_code or "en"
    question = KB.translations[topic_id][lang].questions[0]
    return await client.reply_to(person, question, containing=KB.title(topic_id, [lang]))


@pytest.mark.parametrize("lang", ["ar", "es"])
async def test_feedback_reasons_reach_the_report_and_the_question_goes_with_its_buttons(
    client: PlaygroundClient, admin: Admin, lang: str
) -> None:
    asked = said_in(lang, lambda: _("Was this helpful?"))
    person = Person(id=360001, language_code=lang)

    liked = await _answer(client, person, "health.pep")
    assert asked in liked["text"] and "👍" in buttons(liked)
    await client.press(person, liked, "👍")
    edited = await client.wait_for(
        person.id,
        lambda ms: next(
            (m for m in ms if m["message_id"] == liked["message_id"] and "👍" not in buttons(m)), None
        ),
    )
    assert asked not in edited["text"] and KB.title("health.pep", [lang]) in edited["text"]

    disliked = await _answer(client, person, "health.prep")
    await client.press(person, disliked, "👎")
    offered = said_in(
        lang, lambda: [b.text for row in reason_buttons("health.prep").inline_keyboard for b in row]
    )
    why = await client.wait_for(
        person.id,
        lambda ms: next(
            (m for m in ms if m["message_id"] == disliked["message_id"] and buttons(m) == offered), None
        ),
    )
    assert asked not in why["text"]
    await client.press(person, why, offered[2])  # out of date
    await client.wait_for(
        person.id,
        lambda ms: next(
            (m for m in ms if m["message_id"] == disliked["message_id"] and offered[2] not in buttons(m)),
            None,
        ),
    )

    status, body = await admin.get("/admin/report")
    assert status == 200 and "Out of date" in body
    table = body.split("Helpful answers per topic", 1)[1].split("</table>", 1)[0]
    row = next(line for line in table.split("<tr>") if "<code>health.prep</code>" in line)
    cells = [cell.split("</td>")[0] for cell in row.split('<td class="num">')[1:]]
    assert cells == ["0", "1", "0%", "0", "0", "1", "0"]  # helpful, not helpful, ratio, then the reasons


async def test_wanting_to_talk_after_a_thumbs_down_opens_a_conversation_on_that_topic(
    client: PlaygroundClient,
) -> None:
    from tests.e2e.handoff_steps import new_topic, topic_count

    person = Person(id=360101, language_code="fr")
    disliked = await _answer(client, person, "health.prep")
    await client.press(person, disliked, "👎")
    offered = said_in(
        "fr", lambda: [b.text for row in reason_buttons("health.prep").inline_keyboard for b in row]
    )
    why = await client.wait_for(
        person.id,
        lambda ms: next(
            (m for m in ms if m["message_id"] == disliked["message_id"] and buttons(m) == offered), None
        ),
    )
    before = await topic_count(client)
    await client.press(person, why, offered[3])
    topic = await new_topic(client, before)
    assert KB.title("health.prep", ["en"]) in topic["name"]
