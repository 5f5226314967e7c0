"""Editing one topic in one language (/admin/topics/<topic>/<lang>): the reference texts beside the
form, a live preview, saving (which publishes at once), the history with diffs, and restoring."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from bot.parts import AppParts
from knowledge.base import render_service
from knowledge.editing import STALE_FIELD
from knowledge.languages import REFERENCE_LANGUAGES
from knowledge.loader import Problem, validate_translation
from knowledge.schema import Translation
from knowledge.sync import to_translation
from web.admin.common import edit_url, editor_of, parse_id, topic_and_lang, topic_title
from web.admin.diff import Diff, compare
from web.admin.render import page, redirect

FIELDS = ("title", "questions", "answer", "status")
LABELS = {"title": "Title", "questions": "Example questions", "answer": "Answer", "status": "Review state", "": ""}
POSITION = re.compile(r"line (\d+), column (\d+)")
NOTE_LIMIT = 200


@dataclass(frozen=True)
class ShownProblem:
    """A Problem placed on the form: which field, and (when known) the line and column in it."""

    field: str  # one of FIELDS, or "" when it is about the whole text
    label: str
    message: str
    severity: str
    line: int | None = None
    column: int | None = None


def place(problem: Problem, topic_id: str, question_lines: list[int]) -> ShownProblem:
    """`health.pep.questions[3]` → the questions field, line of the 4th question in the textarea;
    `… at line 2, column 7` in the message → that place in the answer."""
    name = problem.field.removeprefix(topic_id).lstrip(".")
    field_name = next((f for f in FIELDS if name.startswith(f)), "")
    line = column = None
    if match := POSITION.search(problem.message):
        line, column = int(match.group(1)), int(match.group(2))
    elif field_name == "questions" and (index := re.search(r"\[(\d+)\]", name)):
        i = int(index.group(1))
        line, column = (question_lines[i] if i < len(question_lines) else i + 1), 1
    return ShownProblem(field_name, LABELS[field_name], problem.message, problem.severity, line, column)


def form_from(tr: Translation | None) -> dict[str, str]:
    if tr is None:
        return {"title": "", "questions": "", "answer": "", "status": "draft", "note": ""}
    return {"title": tr.title, "questions": "\n".join(tr.questions), "answer": tr.answer, "status": tr.status,
            "note": ""}


def _text(form: Any, name: str) -> str:
    value = form.get(name, "")
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else ""


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    editor: str
    created_at: Any
    note: str
    status: str
    diff: Diff
    current: bool


class EditViews:
    def __init__(self, parts: AppParts) -> None:
        self.parts = parts

    def _services(self, langs: list[str]) -> dict[str, dict[str, str]]:
        """Per language, {service:ID} → how the bot shows it, for the previews."""
        services = self.parts.kb.engine.kb.services.items()
        return {lang: {sid: render_service(service, lang) for sid, service in services} for lang in langs}

    async def _edit_page(self, request: web.Request, topic_id: str, lang: str, form: dict[str, str],
                         problems: list[ShownProblem], *, refused: bool = False, base: int | None = None,
                         status: int | None = None) -> web.Response:
        """`refused`: the form was posted and not saved because of the errors among `problems`.
        `base`: the version the form's text was made from (None: the newest)."""
        editing = self.parts.editing
        if base is None:
            base = await editing.base_of(topic_id, lang)
        states = {(s.topic_id, s.lang): s for s in await editing.states()}
        references = [(ref, editing.current(topic_id, ref)) for ref in REFERENCE_LANGUAGES if ref != lang]
        history = await editing.history(topic_id, lang)
        errors = [p for p in problems if p.severity == "error"] if refused else []
        return page(
            request, "edit.html", status=status or (422 if refused else 200), topic_id=topic_id, lang=lang,
            form=form, base=base,
            errors=errors, notes=[p for p in problems if p not in errors], state=states[(topic_id, lang)],
            references=references, services=self._services([lang, *(ref for ref, _ in references)]),
            title=topic_title(self.parts.kb, topic_id), revisions=len(history), states=states,
            saved=request.query.get("saved", ""),
        )

    async def edit(self, request: web.Request) -> web.Response:
        topic_id, lang = topic_and_lang(request)
        current = self.parts.editing.current(topic_id, lang)
        problems: list[ShownProblem] = []
        if current is not None:  # what is worth a look in the published text
            _, found = validate_translation(self.parts.kb.engine.kb, topic_id, lang, current.model_dump())
            problems = [place(p, topic_id, list(range(1, len(current.questions) + 1))) for p in found]
        return await self._edit_page(request, topic_id, lang, form_from(current), problems)

    async def save(self, request: web.Request) -> web.Response:
        topic_id, lang = topic_and_lang(request)
        posted = await request.post()
        form = {name: _text(posted, name) for name in ("title", "questions", "answer", "status", "note")}
        numbered = [(n, q.strip()) for n, q in enumerate(form["questions"].split("\n"), start=1) if q.strip()]
        data = {"status": form["status"], "title": form["title"], "questions": [q for _, q in numbered],
                "answer": form["answer"]}
        note = form["note"].strip()[:NOTE_LIMIT]
        editing = self.parts.editing
        base = parse_id(posted.get("base"))  # the version the text was made from; None: the newest
        unchanged, _ = validate_translation(self.parts.kb.engine.kb, topic_id, lang, data)
        if unchanged is not None and unchanged == editing.current(topic_id, lang):
            states = {(s.topic_id, s.lang): s.state for s in await editing.states()}
            if states[(topic_id, lang)] != "outdated":
                return redirect(edit_url(topic_id, lang) + "?saved=unchanged")  # no empty version in the history
            # Saved unchanged, an outdated translation was checked against the new English text and is
            # still right: saying so is what clears "outdated".
            note = note or "checked against the English text: still right"
        found = await editing.save(topic_id, lang, data, editor=editor_of(request).alias, note=note or "edited",
                                   base=base)
        problems = [place(p, topic_id, [n for n, _ in numbered]) for p in found]
        if any(p.field == STALE_FIELD for p in found):
            # Shown with the newest version as the form's base: saving again replaces theirs, knowingly.
            return await self._edit_page(request, topic_id, lang, form, problems, refused=True, status=409)
        if any(p.severity == "error" for p in problems):
            return await self._edit_page(request, topic_id, lang, form, problems, refused=True, base=base)
        return redirect(edit_url(topic_id, lang) + "?saved=1")

    async def _history_page(self, request: web.Request, topic_id: str, lang: str, *, problems: list[ShownProblem]
                            | None = None, status: int = 200) -> web.Response:
        revisions = await self.parts.editing.history(topic_id, lang)
        shipped = self.parts.kb.shipped.translations.get(topic_id, {}).get(lang)
        versions = [to_translation(r) for r in revisions]
        entries = [
            HistoryEntry(r.id, r.editor, r.created_at, r.note, r.status,
                         compare(versions[i + 1] if i + 1 < len(versions) else shipped, versions[i]), i == 0)
            for i, r in enumerate(revisions)
        ]
        current = self.parts.editing.current(topic_id, lang)
        restored = request.query.get("restored", "")
        return page(request, "history.html", status=status, topic_id=topic_id, lang=lang, entries=entries,
                    shipped=shipped, shipped_is_current=shipped is not None and shipped == current,
                    title=topic_title(self.parts.kb, topic_id), problems=problems or [],
                    restored=restored if restored == "shipped" or restored.isdigit() else "")

    async def history(self, request: web.Request) -> web.Response:
        topic_id, lang = topic_and_lang(request)
        return await self._history_page(request, topic_id, lang)

    async def restore(self, request: web.Request) -> web.Response:
        topic_id, lang = topic_and_lang(request)
        revision = request.match_info["revision"]
        editing = self.parts.editing
        alias = editor_of(request).alias
        if revision == "shipped":
            shipped = self.parts.kb.shipped.translations.get(topic_id, {}).get(lang)
            if shipped is None:
                raise web.HTTPNotFound()
            found = await editing.save(topic_id, lang, shipped.model_dump(), editor=alias,
                                       note="restored the shipped text")
        else:
            revision_id = parse_id(revision)
            if revision_id is None or revision_id not in {r.id for r in await editing.history(topic_id, lang)}:
                raise web.HTTPNotFound()
            found = await editing.restore(revision_id, editor=alias)
        problems = [place(p, topic_id, []) for p in found]
        if any(p.severity == "error" for p in problems):
            return await self._history_page(request, topic_id, lang, problems=problems, status=422)
        return redirect(f"{edit_url(topic_id, lang)}/history?restored={revision}")


def setup(app: web.Application, parts: AppParts) -> None:
    views = EditViews(parts)
    base = "/admin/topics/{topic_id}/{lang}"
    app.router.add_get(base, views.edit)
    app.router.add_post(base, views.save)
    app.router.add_get(base + "/history", views.history)
    app.router.add_post(base + "/history/{revision}/restore", views.restore)
