"""What editors do with the knowledge base: see each translation's state, save (which publishes),
look at the history and restore, add an unanswered question as an example, import and export files.

Saved revisions live in the database on top of the shipped files; every save is checked exactly
like `vraagbaak kb check` and reaches the bot through `knowledge.sync`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

import yaml
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from knowledge import sync
from knowledge.engine import KnowledgeHolder
from knowledge.languages import REFERENCE_LANGUAGES, SUPPORTED_LANGUAGES
from knowledge.loader import Problem, validate_translation
from knowledge.schema import Translation
from knowledge.topics import CATEGORIES, TOPIC_IDS
from knowledge.yaml_reading import Read, read_in_child, read_yaml
from storage import revisions
from storage.models import KnowledgeRevision

log = logging.getLogger(__name__)
State = Literal["missing", "draft", "reviewed", "outdated"]
REFERENCE = "en"  # translations are compared with the English reference text


@dataclass(frozen=True)
class TranslationState:
    topic_id: str
    lang: str
    state: State
    saved_at: dt.datetime | None  # None: as shipped
    editor: str | None


@dataclass(frozen=True)
class Change:
    topic_id: str
    lang: str
    fields: tuple[str, ...]  # which of title, questions, answer, status differ
    new: Translation


@dataclass(frozen=True)
class ImportPlan:
    changes: list[Change]
    problems: list[Problem]


def content_file(name: str) -> tuple[str, str] | None:
    """(language, category) of a path ending in `<lang>/<category>.yaml`, or None if it is none of ours."""
    parts = name.replace("\\", "/").split("/")
    if len(parts) < 2:
        return None
    lang, category = parts[-2], parts[-1].rsplit(".", 1)[0]
    return (lang, category) if lang in SUPPORTED_LANGUAGES and category in CATEGORIES else None


class Editing:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], holder: KnowledgeHolder,
                 notify: Callable[[], Awaitable[None]] | None = None) -> None:
        self.sessions = sessions
        self.holder = holder
        self.notify = notify  # tells other instances that the knowledge base changed

    async def _published(self) -> None:
        await sync.refresh(self.holder, self.sessions)
        if self.notify is not None:
            try:
                await self.notify()
            except Exception as exc:  # the others still notice by polling within seconds
                log.warning("could not announce the change: %s", type(exc).__name__)

    def current(self, topic_id: str, lang: str) -> Translation | None:
        return self.holder.engine.kb.translations.get(topic_id, {}).get(lang)

    async def states(self) -> list[TranslationState]:
        async with self.sessions() as session:
            latest = await revisions.latest(session)
        kb = self.holder.engine.kb
        result = []
        for topic_id in TOPIC_IDS:
            reference = latest.get((topic_id, REFERENCE))
            for lang in SUPPORTED_LANGUAGES:
                tr = kb.translations.get(topic_id, {}).get(lang)
                rev = latest.get((topic_id, lang))
                state: State
                if tr is None:
                    state = "missing"
                elif (lang not in REFERENCE_LANGUAGES and reference is not None
                      and (rev is None or reference.created_at > rev.created_at)):
                    state = "outdated"
                else:
                    state = tr.status
                result.append(TranslationState(topic_id, lang, state, rev.created_at if rev else None,
                                               rev.editor if rev else None))
        return result

    async def save(self, topic_id: str, lang: str, data: dict[str, object], *, editor: str,
                   note: str = "edited") -> list[Problem]:
        """Check and publish; returns the problems (nothing is saved when there are errors)."""
        tr, problems = validate_translation(self.holder.engine.kb, topic_id, lang, data)
        if tr is None:
            return problems
        async with self.sessions() as session:
            await revisions.save(session, topic_id, lang, tr, editor=editor, note=note, now=dt.datetime.now(dt.UTC))
            await session.commit()
        await self._published()
        return problems

    async def history(self, topic_id: str, lang: str) -> list[KnowledgeRevision]:
        async with self.sessions() as session:
            return await revisions.history(session, topic_id, lang)

    async def restore(self, revision_id: int, *, editor: str) -> list[Problem]:
        async with self.sessions() as session:
            old = await session.get(KnowledgeRevision, revision_id)
        if old is None:
            return [Problem("", "revision", "no such revision")]
        data = revisions.to_translation(old).model_dump()
        return await self.save(old.topic_id, old.lang, data, editor=editor, note=f"restored revision {revision_id}")

    async def add_example(self, topic_id: str, lang: str, question: str, *, editor: str) -> list[Problem]:
        tr = self.current(topic_id, lang)
        if tr is None:
            return [Problem("", topic_id, f"no {lang} translation to add the example to")]
        data = tr.model_dump()
        data["questions"] = [*tr.questions, question]
        return await self.save(topic_id, lang, data, editor=editor, note="added an unanswered question")

    def export_files(self) -> dict[str, str]:
        """The effective content in the shipped format: `content/<lang>/<category>.yaml` → YAML."""
        kb = self.holder.engine.kb
        files: dict[str, str] = {}
        for lang in SUPPORTED_LANGUAGES:
            for category, topic_ids in CATEGORIES.items():
                entries = {
                    t: {"status": tr.status, "title": tr.title, "questions": list(tr.questions), "answer": tr.answer}
                    for t in topic_ids
                    if (tr := kb.translations.get(t, {}).get(lang)) is not None
                }
                if entries:
                    files[f"content/{lang}/{category}.yaml"] = yaml.safe_dump(
                        entries, allow_unicode=True, sort_keys=False, width=110, default_style=None)
        return files

    async def plan_upload(self, files: dict[str, str]) -> ImportPlan:
        """`plan_import` for the editors' pages: the files read by a child process and the plan made in a
        thread, so that the bot keeps answering meanwhile."""
        return await asyncio.to_thread(self.plan_import, files, await read_in_child(files))

    def plan_import(self, files: dict[str, str], read: dict[str, Read] | None = None) -> ImportPlan:
        """What importing these files would change; nothing is applied yet. `read`: the files already
        read (see `plan_upload`); otherwise they are read here."""
        changes: list[Change] = []
        problems: list[Problem] = []
        kb = self.holder.engine.kb
        for name, text in sorted(files.items()):
            found = content_file(name)
            if found is None:
                problems.append(Problem(name, "", "expected content/<lang>/<category>.yaml"))
                continue
            lang = found[0]
            data, problem = read[name] if read is not None and name in read else read_yaml(text)
            if problem:
                problems.append(Problem(name, "", problem))
                continue
            if not isinstance(data, dict):
                problems.append(Problem(name, "", "must be a mapping of topic ids to entries"))
                continue
            for topic_id, entry in data.items():
                tr, found = validate_translation(kb, str(topic_id), lang, entry)
                problems.extend(Problem(name, p.field, p.message, p.severity) for p in found)
                if tr is None:
                    continue
                old = kb.translations.get(str(topic_id), {}).get(lang)
                fields = tuple(f for f in ("title", "questions", "answer", "status")
                               if old is None or getattr(old, f) != getattr(tr, f))
                if fields:
                    changes.append(Change(str(topic_id), lang, fields, tr))
        return ImportPlan(changes, problems)

    async def apply_import(self, plan: ImportPlan, *, editor: str) -> int:
        now = dt.datetime.now(dt.UTC)
        async with self.sessions() as session:
            for change in plan.changes:
                await revisions.save(session, change.topic_id, change.lang, change.new, editor=editor,
                                     note="imported", now=now)
            await session.commit()
        await self._published()
        return len(plan.changes)
