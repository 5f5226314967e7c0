"""Unanswered questions: grouped, added as an example question (the bot then answers), or dismissed."""

from __future__ import annotations

import datetime as dt
import re

from playground.runner import Playground
from storage import unanswered
from tests.e2e.client import Person, PlaygroundClient
from tests.web.conftest import Admin


async def _ask_unanswerable(playground: Playground, *questions: tuple[str, str]) -> None:
    assert playground.parts is not None
    now = dt.datetime.now(dt.UTC)
    async with playground.parts.sessions() as session:
        for minutes, (text, lang) in enumerate(reversed(questions)):  # the first one is the newest
            await unanswered.add(session, text, lang=lang, reason="no_answer", now=now + dt.timedelta(minutes=minutes))
        await session.commit()


def group_ids(body: str, text: str) -> list[str]:
    """The question ids of the group whose heading quotes `text`."""
    start = body.index(f">{text}</q>")
    form = body[start:body.index("</form>", start)]
    return re.findall(r'name="id" value="(\d+)"', form)


async def test_similar_questions_are_one_group_with_their_count_newest_first(
        playground: Playground, admin: Admin) -> None:
    await _ask_unanswerable(playground, ("where can i find a dentist without insurance", "en"),
                            ("my landlord wants sex instead of rent", "en"),
                            ("where can i find a dentist", "en"))
    status, body = await admin.get("/admin/unanswered")
    assert status == 200
    assert "3 open questions in 2 groups" in body
    assert body.index("dentist without insurance") < body.index("landlord")
    assert re.search(r'<span class="count">2×</span> <q lang="en" dir="ltr">where can i find a dentist without', body)


async def test_a_group_added_as_an_example_question_is_answered_by_the_bot_next_time(
        playground: Playground, client: PlaygroundClient, admin: Admin) -> None:
    question = "my tooth hurts i need a dentist"
    person = Person(id=100501, language_code="en")
    before = await client.reply_to(person, question)
    assert "don't have a good answer" in before["text"]
    # Kept for the editors because the person agrees (flows/keep_question.py).
    ask = await client.wait_for(person.id, lambda ms: next((m for m in ms if "May we keep" in m["text"]), None))
    await client.press(person, ask, "Yes, keep it")
    await client.wait_for(person.id, lambda ms: not next(m for m in ms if m["message_id"] == ask["message_id"])["buttons"])

    _, body = await admin.get("/admin/unanswered")
    ids = group_ids(body, question)
    _, body = await admin.follow("/admin/unanswered/add", {"id": ids, "topic": "health.doctor_no_insurance",
                                                                "question": question})
    assert "Added as an example question of <code>health.doctor_no_insurance</code>" in body
    assert question not in body  # handled

    assert playground.parts is not None
    doctor = playground.parts.editing.current("health.doctor_no_insurance", "en")
    assert doctor is not None and doctor.questions[-1] == question
    after = await client.reply_to(person, question)
    assert "don't have a good answer" not in after["text"]
    assert after["text"].startswith(doctor.title)


async def test_adding_needs_a_topic_and_keeps_the_questions_open_when_it_fails(
        playground: Playground, admin: Admin) -> None:
    await _ask_unanswerable(playground, ("what is prep", "en"))  # already an example of health.prep
    status, body = await admin.get("/admin/unanswered")
    ids = group_ids(body, "what is prep")
    status, body, _ = await admin.post("/admin/unanswered/add", {"id": ids, "topic": "", "question": "what is prep"})
    assert status == 422 and "Choose the topic" in body
    status, body, _ = await admin.post("/admin/unanswered/add",
                                       {"id": ids, "topic": "health.pep", "question": "what is prep"})
    assert status == 422 and "Not added" in body and "also an example of health.prep" in body
    assert group_ids(body, "what is prep") == ids  # still open


async def test_dismissing_a_group_removes_it_from_the_list(playground: Playground, admin: Admin) -> None:
    await _ask_unanswerable(playground, ("is there parking near you", "en"), ("is there free parking near you", "en"),
                            ("hvor er toilettet", "en"))
    _, body = await admin.get("/admin/unanswered")
    ids = group_ids(body, "is there parking near you")
    _, body = await admin.follow("/admin/unanswered/dismiss", {"id": ids})
    assert f"Dismissed {len(ids)} question" in body
    assert "parking" not in body and "hvor er toilettet" in body
    assert playground.parts is not None
    async with playground.parts.sessions() as session:
        assert [q.text for q in await unanswered.open_questions(session)] == ["hvor er toilettet"]


async def test_an_id_that_is_not_a_database_id_is_a_bad_request(playground: Playground, admin: Admin) -> None:
    await _ask_unanswerable(playground, ("is there parking near you", "en"))
    _, body = await admin.get("/admin/unanswered")
    ids = group_ids(body, "is there parking near you")
    for odd in ("²", "99999999999999999999", "-1", "1 "):
        status, body, _ = await admin.post("/admin/unanswered/dismiss", {"id": [*ids, odd]})
        assert status == 400 and "nothing was changed" in body, odd
        status, _, _ = await admin.post("/admin/unanswered/add", {"id": [odd], "topic": "health.pep",
                                                                    "question": "parking"})
        assert status == 400, odd
    _, body = await admin.get("/admin/unanswered")
    assert group_ids(body, "is there parking near you") == ids  # still open
