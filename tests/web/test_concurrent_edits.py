"""Editors working at the same time lose nothing: a save made on top of an older version is refused
and says so, examples added together are all kept, an import approved before someone else's save is
shown again. And the import's checks see the knowledge base as it will be after it."""

from __future__ import annotations

import asyncio
import html
import re

import yaml

from playground.runner import Playground
from tests.web.conftest import Admin
from tests.web.test_editing import PEP, form_of, textarea
from tests.web.test_files import _bases, _export, _upload


def _base(body: str) -> str:
    return html.unescape(re.search(r'name="base" value="([^"]*)"', body).group(1))  # type: ignore[union-attr]


async def test_a_save_on_top_of_an_older_version_is_refused_and_keeps_the_editors_text(
        playground: Playground, admin: Admin) -> None:
    assert playground.parts is not None
    editing = playground.parts.editing
    _, body = await admin.get(PEP)
    loaded = _base(body)
    assert loaded == "0"  # as shipped
    # Meanwhile another editor saves a new answer.
    theirs = form_of(playground, answer=editing.current("health.pep", "en").answer + "\nTheirs.")  # type: ignore[union-attr]
    assert await editing.save("health.pep", "en", {k: v for k, v in theirs.items() if k != "note"} | {
        "questions": theirs["questions"].split("\n")}, editor="Editor B") == []
    mine = form_of(playground, title="PEP: after a risk", base=loaded)
    status, body, _ = await admin.post(PEP, mine)
    assert status == 409 and "Editor B saved a newer version of this text while you were editing" in body
    assert 'value="PEP: after a risk"' in body  # the editor's own text, still in the form
    assert editing.current("health.pep", "en").answer.endswith("Theirs.")  # type: ignore[union-attr]
    # Saving again, knowingly, on top of their version.
    status, body = await admin.follow(PEP, {**mine, "base": _base(body)})
    assert "Saved and published" in body and "PEP: after a risk" in body
    assert textarea(body, "answer") == mine["answer"]


async def test_examples_added_at_the_same_moment_are_all_kept(playground: Playground) -> None:
    assert playground.parts is not None
    editing = playground.parts.editing
    questions = ["pill after condom broke gay", "emergency hiv pill weekend", "medicine within 72 hours"]
    results = await asyncio.gather(*(editing.add_example("health.pep", "en", q, editor=f"Editor {i}")
                                     for i, q in enumerate(questions)))
    assert results == [[], [], []]
    kept = editing.current("health.pep", "en").questions  # type: ignore[union-attr]
    assert all(q in kept for q in questions), kept
    assert len(await editing.history("health.pep", "en")) == 3


async def test_an_import_approved_before_someone_elses_save_is_shown_again(
        playground: Playground, admin: Admin) -> None:
    assert playground.parts is not None
    editing = playground.parts.editing
    files = await _export(admin)
    health = yaml.safe_load(files["content/en/health.yaml"])
    health["health.pep"]["answer"] += "\nImported."
    changed = yaml.safe_dump(health, allow_unicode=True, sort_keys=False).encode()
    _, body, _ = await admin.post("/admin/import", _upload("en-health.yaml", changed))
    plan = re.search(r'name="plan" value="([^"]+)"', body).group(1)  # type: ignore[union-attr]
    bases = _bases(body)
    theirs = editing.current("health.pep", "en").model_dump()  # type: ignore[union-attr]
    assert await editing.save("health.pep", "en", {**theirs, "title": "PEP (theirs)"}, editor="Editor B") == []
    status, body, _ = await admin.post("/admin/import/apply", {"plan": plan, "bases": bases})
    assert status == 409 and "changed since you looked" in body
    assert editing.current("health.pep", "en").title == "PEP (theirs)"  # type: ignore[union-attr]
    assert "Imported." not in editing.current("health.pep", "en").answer  # type: ignore[union-attr]
    # The plan shown again now says the import would also change their title back; applying is a choice.
    assert "Changes: title, answer" in body
    plan = re.search(r'name="plan" value="([^"]+)"', body).group(1)  # type: ignore[union-attr]
    status, body = await admin.follow("/admin/import/apply", {"plan": plan, "bases": _bases(body)})
    assert "Imported 1 change" in body


async def test_an_import_may_move_a_question_but_not_give_it_to_two_topics(admin: Admin) -> None:
    files = await _export(admin)
    health = yaml.safe_load(files["content/en/health.yaml"])
    moving = health["health.condoms"]["questions"][0]
    health["health.pep"]["questions"].append(moving)
    both = yaml.safe_dump(health, allow_unicode=True, sort_keys=False).encode()
    status, body, _ = await admin.post("/admin/import", _upload("en-health.yaml", both))
    assert "also an example" in html.unescape(body) and "/admin/import/apply" not in body

    health["health.condoms"]["questions"].remove(moving)
    moved = yaml.safe_dump(health, allow_unicode=True, sort_keys=False).encode()
    status, body, _ = await admin.post("/admin/import", _upload("en-health.yaml", moved))
    assert status == 200 and "2 texts would change" in body and "/admin/import/apply" in body


async def test_a_topic_in_another_categorys_file_is_refused_by_name(admin: Admin) -> None:
    files = await _export(admin)
    pep = yaml.safe_load(files["content/en/health.yaml"])["health.pep"]
    wrong = yaml.safe_dump({"health.pep": pep}, allow_unicode=True).encode()
    _, body, _ = await admin.post("/admin/import", _upload("en-safety.yaml", wrong))
    assert "health.pep" in body and "belongs in content/en/health.yaml" in body
    assert "/admin/import/apply" not in body


async def test_only_a_changed_english_title_or_answer_outdates_and_saving_unchanged_confirms(
        playground: Playground, admin: Admin) -> None:
    assert playground.parts is not None
    editing = playground.parts.editing
    assert await editing.add_example("health.pep", "en", "pep after sex without condom", editor="Editor B") == []
    _, body = await admin.get("/admin?lang=fr&state=outdated")
    assert 'href="/admin/topics/health.pep/fr"' not in body  # a new example question changes no translation
    await admin.follow(PEP, form_of(playground, answer=editing.current("health.pep", "en").answer + "\nNew."))  # type: ignore[union-attr]
    _, body = await admin.get("/admin?lang=fr&state=outdated")
    assert 'href="/admin/topics/health.pep/fr"' in body
    # The translator checks the French text: still right. Saving it unchanged says so.
    _, body = await admin.follow("/admin/topics/health.pep/fr", form_of(playground, "health.pep", "fr"))
    assert "Saved and published" in body
    _, body = await admin.get("/admin?lang=fr&state=outdated")
    assert 'href="/admin/topics/health.pep/fr"' not in body
    (checked, *_) = await editing.history("health.pep", "fr")
    assert checked.note == "checked against the English text: still right"
