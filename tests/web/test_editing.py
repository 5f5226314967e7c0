"""Editing a text: saving publishes to the bot, broken HTML is refused with its place, history, restore."""

from __future__ import annotations

import html
import re

from playground.runner import Playground
from tests.e2e.client import Person, PlaygroundClient
from tests.web.conftest import Admin

PEP = "/admin/topics/health.pep/en"


def form_of(playground: Playground, topic_id: str = "health.pep", lang: str = "en", **changes: str) -> dict[str, str]:
    assert playground.parts is not None
    current = playground.parts.editing.current(topic_id, lang)
    assert current is not None
    form = {"title": current.title, "questions": "\n".join(current.questions), "answer": current.answer,
            "status": current.status, "note": ""}
    return {**form, **changes}


def textarea(body: str, name: str) -> str:
    found = re.search(rf'<textarea id="field-{name}"[^>]*>(.*?)</textarea>', body, re.S)
    assert found, f"no {name} field"
    return html.unescape(found.group(1))


async def test_saving_publishes_the_new_answer_to_the_bot_at_once(
        playground: Playground, client: PlaygroundClient, admin: Admin) -> None:
    form = form_of(playground)
    answer = form["answer"] + "\nBring your <b>blue card</b> to the clinic."
    status, body = await admin.follow(PEP, {**form, "answer": answer, "note": "blue card"})
    assert status == 200 and "Saved and published" in body
    assert "blue card" in textarea(body, "answer")

    reply = await client.reply_to(Person(id=100401, language_code="en"), "what is pep")
    assert "blue card" in reply["text"]


async def test_html_telegram_would_refuse_is_not_saved_and_the_error_says_where(
        playground: Playground, admin: Admin) -> None:
    broken = "PEP stops HIV.\nStart <div>within 72 hours</div>."
    status, body, _ = await admin.post(PEP, form_of(playground, answer=broken, title="Changed title"))
    assert status == 422
    assert "Not saved" in body
    assert "unsupported tag &lt;div&gt; at line 2, column 7" in body
    assert 'data-line="2" data-column="7"' in body  # the "show me" button puts the cursor there
    assert textarea(body, "answer") == broken, "the editor's text is kept"
    assert 'value="Changed title"' in body
    field = re.search(r'<textarea id="field-answer"[^>]*>', body).group(0)  # type: ignore[union-attr]
    assert 'aria-invalid="true"' in field and 'aria-describedby="answer-hint answer-errors"' in field

    assert playground.parts is not None
    assert "<div>" not in playground.parts.editing.current("health.pep", "en").answer  # type: ignore[union-attr]
    assert await playground.parts.editing.history("health.pep", "en") == []


async def test_an_unclosed_tag_and_a_duplicate_question_are_placed_on_their_fields(
        playground: Playground, admin: Admin) -> None:
    questions = form_of(playground)["questions"] + "\n\nwhat is prep"  # an example of health.prep
    status, body, _ = await admin.post(PEP, form_of(playground, questions=questions, answer="<b>PEP</b> now\n<i>soon"))
    assert status == 422
    assert "&lt;i&gt; is never closed at line 2, column 1" in body
    assert "is also an example of health.prep" in body
    lines = questions.split("\n")
    assert f'data-field="questions" data-line="{lines.index("what is prep") + 1}"' in body


async def test_the_history_shows_who_changed_what_and_restoring_brings_an_old_version_back(
        playground: Playground, client: PlaygroundClient, admin: Admin) -> None:
    assert playground.parts is not None
    editing = playground.parts.editing
    await admin.follow(PEP, form_of(playground, title="PEP: pills after an HIV risk", note="shorter title"))
    first = form_of(playground)
    await admin.follow(PEP, {**first, "answer": first["answer"] + "\nAsk for PEP at the desk.", "note": "desk"})

    status, body = await admin.get(PEP + "/history")
    assert status == 200
    revisions = await editing.history("health.pep", "en")
    newest, older = revisions
    assert newest.editor.startswith("Editor ") and newest.editor in body
    assert "“desk”" in body and "“shorter title”" in body
    assert "Ask for PEP at the desk." in body  # the added line of the newest version
    assert "PEP: medicine after an HIV risk</del>" in body and "PEP: pills after an HIV risk</ins>" in body
    assert f"/history/{older.id}/restore" in body and f"/history/{newest.id}/restore" not in body  # in use

    status, body = await admin.follow(f"{PEP}/history/{older.id}/restore", {})
    assert status == 200 and f"Restored version {older.id}" in body
    assert "desk" not in editing.current("health.pep", "en").answer  # type: ignore[union-attr]
    assert (await editing.history("health.pep", "en"))[0].note == f"restored revision {older.id}"
    reply = await client.reply_to(Person(id=100402, language_code="en"), "what is pep")
    assert "at the desk" not in reply["text"]

    status, body = await admin.follow(f"{PEP}/history/shipped/restore", {})
    assert "Restored the shipped text" in body
    assert editing.current("health.pep", "en") == playground.parts.kb.shipped.translations["health.pep"]["en"]


async def test_restoring_a_version_of_another_topic_is_not_found(playground: Playground, admin: Admin) -> None:
    await admin.follow("/admin/topics/health.prep/en", form_of(playground, "health.prep", title="PrEP pills"))
    assert playground.parts is not None
    other = (await playground.parts.editing.history("health.prep", "en"))[0]
    status, _, _ = await admin.post(f"{PEP}/history/{other.id}/restore", {})
    assert status == 404


async def test_restoring_a_revision_that_is_no_id_is_not_found(admin: Admin) -> None:
    for odd in ("²", "99999999999999999999", "1_0"):
        status, body, _ = await admin.post(f"{PEP}/history/{odd}/restore", {})
        assert status == 404 and "Page not found" in body, odd


async def test_saving_an_unchanged_text_adds_no_version(playground: Playground, admin: Admin) -> None:
    status, body = await admin.follow(PEP, form_of(playground, note="just looking"))
    assert status == 200 and "Nothing was changed, so nothing was saved" in body
    assert playground.parts is not None
    assert await playground.parts.editing.history("health.pep", "en") == []


async def test_unknown_topics_and_languages_are_not_found(admin: Admin) -> None:
    for path in ("/admin/topics/health.nope/en", "/admin/topics/health.pep/xx", "/admin/nowhere"):
        status, body = await admin.get(path)
        assert status == 404 and "Page not found" in body


async def test_the_topics_page_filters_by_language_and_state(playground: Playground, admin: Admin) -> None:
    await admin.follow("/admin/topics/health.pep/fr", form_of(playground, "health.pep", "fr", status="reviewed"))
    status, body = await admin.get("/admin?lang=fr&state=reviewed")
    assert status == 200
    assert 'href="/admin/topics/health.pep/fr"' in body
    assert "health.prep" not in body  # still a draft in French
    assert 'href="/admin/topics/health.pep/en"' not in body  # only the French column
    status, body = await admin.get("/admin?state=outdated")
    assert "No topic matches" in body  # nothing in English changed since


async def test_a_changed_english_text_makes_its_translations_outdated(playground: Playground, admin: Admin) -> None:
    await admin.follow(PEP, form_of(playground, title="PEP: medicine after a risk"))
    _, body = await admin.get("/admin?lang=fr&state=outdated")
    assert 'href="/admin/topics/health.pep/fr"' in body
    _, body = await admin.get("/admin/topics/health.pep/fr")
    assert "The English title or answer was changed after this translation" in body


async def test_arabic_fields_and_preview_are_right_to_left(admin: Admin) -> None:
    status, body = await admin.get("/admin/topics/health.pep/ar")
    assert status == 200
    assert re.search(r'<textarea id="field-answer"[^>]* lang="ar" dir="rtl"', body)
    assert re.search(r'<div id="preview"[^>]* lang="ar" dir="rtl"', body)
    assert re.search(r'<input id="field-title"[^>]* lang="ar" dir="rtl"', body)
