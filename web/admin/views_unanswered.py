"""Unanswered questions (/admin/unanswered), grouped by similarity, newest group first. A group can
become an example question of a topic (so the bot answers it next time) or be dismissed."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from bot.parts import AppParts
from knowledge.grouping import group_similar
from knowledge.topics import TOPIC_IDS
from storage import unanswered
from storage.models import UnansweredQuestion
from web.admin.common import editor_of, parse_id, topic_options
from web.admin.render import page, redirect

QUESTION_LIMIT = 500  # a question the bot can learn is short; the form keeps it reasonable
IDS_LIMIT = 500  # as many as the page ever shows (storage.unanswered.open_questions)


@dataclass(frozen=True)
class QuestionGroup:
    key: str  # the ids, joined: identifies the group in a re-rendered page
    ids: list[int]
    questions: list[UnansweredQuestion]
    languages: list[tuple[str, int]]
    reasons: list[tuple[str, int]]
    newest: dt.datetime
    suggested_topic: str

    @property
    def first(self) -> UnansweredQuestion:
        return self.questions[0]


def build_groups(questions: list[UnansweredQuestion]) -> list[QuestionGroup]:
    groups = []
    for group in group_similar([q.text for q in questions], [q.lang for q in questions]):
        members = [questions[i] for i in group.members]
        topics = Counter(q.topic for q in members if q.topic in TOPIC_IDS)
        groups.append(QuestionGroup(
            key="-".join(str(q.id) for q in members),
            ids=[q.id for q in members],
            questions=members,
            languages=Counter(q.lang for q in members).most_common(),
            reasons=Counter(q.reason for q in members).most_common(),
            newest=max(q.created_at for q in members),
            suggested_topic=topics.most_common(1)[0][0] if topics else "",
        ))
    return groups


def posted_ids(form: Any) -> list[int]:
    """The question ids of a form; 400 for a value that is no id (our pages never send one)."""
    ids = [parse_id(value) for value in form.getall("id", [])[:IDS_LIMIT]]
    if None in ids:
        raise web.HTTPBadRequest()
    return [i for i in ids if i is not None]


class UnansweredViews:
    def __init__(self, parts: AppParts) -> None:
        self.parts = parts

    async def _open(self) -> list[UnansweredQuestion]:
        async with self.parts.sessions() as session:
            return await unanswered.open_questions(session)

    async def _page(self, request: web.Request, *, error: tuple[str, str] | None = None,
                    kept: dict[str, str] | None = None, status: int = 200) -> web.Response:
        questions = await self._open()
        groups = await asyncio.to_thread(build_groups, questions)  # keeps the bot answering meanwhile
        added = request.query.get("added", "")
        return page(request, "unanswered.html", status=status, groups=groups, total=len(questions),
                    topics=topic_options(self.parts.kb), error=error, kept=kept or {},
                    added=added if added in TOPIC_IDS else "",
                    dismissed=request.query.get("dismissed", "").isdigit() and request.query["dismissed"])

    async def index(self, request: web.Request) -> web.Response:
        return await self._page(request)

    async def add_example(self, request: web.Request) -> web.Response:
        form = await request.post()
        ids = posted_ids(form)
        topic_id = form.get("topic", "")
        question = form.get("question", "")
        question = question.strip()[:QUESTION_LIMIT] if isinstance(question, str) else ""
        by_id = {q.id: q for q in await self._open()}
        members = [by_id[i] for i in ids if i in by_id]
        if not members:  # handled meanwhile, perhaps by another editor
            return redirect("/admin/unanswered")
        key = "-".join(str(q.id) for q in members)
        kept = {"key": key, "topic": topic_id if isinstance(topic_id, str) else "", "question": question}
        if topic_id not in TOPIC_IDS:
            return await self._page(request, error=(key, "Choose the topic that answers this question."),
                                    kept=kept, status=422)
        if not question:
            return await self._page(request, error=(key, "The example question is empty."), kept=kept, status=422)
        lang = members[0].lang
        problems = await self.parts.editing.add_example(str(topic_id), lang, question,
                                                        editor=editor_of(request).alias)
        errors = [p.message for p in problems if p.severity == "error"]
        if errors:
            return await self._page(request, error=(key, "Not added: " + "; ".join(errors)), kept=kept, status=422)
        async with self.parts.sessions() as session:
            await unanswered.mark_handled(session, [q.id for q in members], dt.datetime.now(dt.UTC))
            await session.commit()
        return redirect(f"/admin/unanswered?added={topic_id}")

    async def dismiss(self, request: web.Request) -> web.Response:
        ids = posted_ids(await request.post())
        if ids:
            async with self.parts.sessions() as session:
                await unanswered.mark_handled(session, ids, dt.datetime.now(dt.UTC))
                await session.commit()
        return redirect(f"/admin/unanswered?dismissed={len(ids)}")


def setup(app: web.Application, parts: AppParts) -> None:
    views = UnansweredViews(parts)
    app.router.add_get("/admin/unanswered", views.index)
    app.router.add_post("/admin/unanswered/add", views.add_example)
    app.router.add_post("/admin/unanswered/dismiss", views.dismiss)
