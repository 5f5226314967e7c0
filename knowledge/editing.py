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
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from knowledge import sync
from knowledge.engine import KnowledgeHolder
from knowledge.languages import REFERENCE_LANGUAGES, SUPPORTED_LANGUAGES
from knowledge.loader import Problem, validate_translation
from knowledge.schema import Translation
from knowledge.topics import CATEGORIES, TOPIC_IDS, category_of
from knowledge.yaml_reading import Read, read_in_child, read_yaml
from storage import revisions
from storage.models import KnowledgeRevision

log = logging.getLogger(__name__)
State = Literal["missing", "draft", "reviewed", "outdated"]
REFERENCE = "en"  # translations are compared with the English reference text
STALE_FIELD = "version"  # a Problem about the text having changed since the editor loaded it
EXAMPLE_ATTEMPTS = 3  # adding an example is retried when another save came first


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
    base: int = 0  # the version it was planned against (revisions.newest_id)


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
            reference_changed = await self._reference_changes(session)
        kb = self.holder.engine.kb
        result = []
        for topic_id in TOPIC_IDS:
            changed_at = reference_changed.get(topic_id)
            for lang in SUPPORTED_LANGUAGES:
                tr = kb.translations.get(topic_id, {}).get(lang)
                rev = latest.get((topic_id, lang))
                state: State
                if tr is None:
                    state = "missing"
                elif (lang not in REFERENCE_LANGUAGES and changed_at is not None
                      and (rev is None or changed_at > rev.created_at)):
                    state = "outdated"
                else:
                    state = tr.status
                result.append(TranslationState(topic_id, lang, state, rev.created_at if rev else None,
                                               rev.editor if rev else None))
        return result

    async def _reference_changes(self, session: AsyncSession) -> dict[str, dt.datetime]:
        """Per topic, when its English title or answer last changed. A new example question or review
        state leaves the translations as right as they were: it does not make them outdated."""
        seen = {topic_id: (tr.title, tr.answer) for topic_id, by_lang in self.holder.shipped.translations.items()
                if (tr := by_lang.get(REFERENCE)) is not None}
        changed: dict[str, dt.datetime] = {}
        for rev in await revisions.of_language(session, REFERENCE):
            if seen.get(rev.topic_id) != (rev.title, rev.answer):
                changed[rev.topic_id] = rev.created_at
            seen[rev.topic_id] = (rev.title, rev.answer)
        return changed

    async def base_of(self, topic_id: str, lang: str) -> int:
        """The version an edit starts from (0: as shipped): the edit form carries it back to `save`."""
        async with self.sessions() as session:
            return await revisions.newest_id(session, topic_id, lang)

    async def save(self, topic_id: str, lang: str, data: dict[str, object], *, editor: str,
                   note: str = "edited", base: int | None = None) -> list[Problem]:
        """Check and publish; returns the problems (nothing is saved when there are errors).
        `base`: the version the editor started from; if another was saved since, nothing is saved
        and the problem says who saved it (None: on top of whatever is newest)."""
        tr, problems = validate_translation(self.holder.engine.kb, topic_id, lang, data)
        if tr is None:
            return problems
        async with self.sessions() as session:
            newest = await revisions.newest(session, topic_id, lang)
            newest_id = newest.id if newest is not None else 0
            if base is not None and base != newest_id:
                return [*problems, _stale(newest.editor if newest is not None else None)]
            try:
                await revisions.save(session, topic_id, lang, tr, editor=editor, note=note,
                                     now=dt.datetime.now(dt.UTC), replaces=newest_id)
                await session.commit()
            except IntegrityError:  # another save on top of the same version got in first
                await session.rollback()
                return [*problems, _stale(None)]
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
        data = sync.to_translation(old).model_dump()
        return await self.save(old.topic_id, old.lang, data, editor=editor, note=f"restored revision {revision_id}")

    async def add_example(self, topic_id: str, lang: str, question: str, *, editor: str) -> list[Problem]:
        """Add the question to the text's newest saved version (not this instance's copy of it, which
        may not have caught up with a save a moment ago), retried if another save comes first."""
        problems: list[Problem] = []
        for _ in range(EXAMPLE_ATTEMPTS):
            async with self.sessions() as session:
                newest = await revisions.newest(session, topic_id, lang)
            tr = (sync.to_translation(newest) if newest is not None
                  else self.holder.shipped.translations.get(topic_id, {}).get(lang))
            if tr is None:
                return [Problem("", topic_id, f"no {lang} translation to add the example to")]
            if question in tr.questions:
                return []
            data = tr.model_dump()
            data["questions"] = [*tr.questions, question]
            problems = await self.save(topic_id, lang, data, editor=editor, note="added an unanswered question",
                                       base=newest.id if newest is not None else 0)
            if not any(p.field == STALE_FIELD for p in problems):
                return problems
        return problems

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
        read = await read_in_child(files)
        async with self.sessions() as session:
            bases = {key: rev.id for key, rev in (await revisions.latest(session)).items()}
        return await asyncio.to_thread(self.plan_import, files, read, bases)

    def plan_import(self, files: dict[str, str], read: dict[str, Read] | None = None,
                    bases: dict[tuple[str, str], int] | None = None) -> ImportPlan:
        """What importing these files would change; nothing is applied yet. `read`: the files already
        read (see `plan_upload`); otherwise they are read here. `bases`: each text's newest version id.

        Each entry is checked against the knowledge base as it would be after the import: one file
        may move an example question from one topic to another, and may not give it to both."""
        problems: list[Problem] = []
        kb = self.holder.engine.kb
        entries: list[tuple[str, str, str, object]] = []  # file, topic, language, entry
        for name, text in sorted(files.items()):
            found = content_file(name)
            if found is None:
                problems.append(Problem(name, "", "expected content/<lang>/<category>.yaml"))
                continue
            lang, category = found
            data, problem = read[name] if read is not None and name in read else read_yaml(text)
            if problem:
                problems.append(Problem(name, "", problem))
                continue
            if not isinstance(data, dict):
                problems.append(Problem(name, "", "must be a mapping of topic ids to entries"))
                continue
            for topic_id, entry in data.items():
                if str(topic_id) in TOPIC_IDS and category_of(str(topic_id)) != category:
                    problems.append(Problem(name, str(topic_id), f"belongs in content/{lang}/"
                                                                 f"{category_of(str(topic_id))}.yaml"))
                    continue
                entries.append((name, str(topic_id), lang, entry))
        after = _with_entries(kb.translations, entries)
        changes: list[Change] = []
        for name, topic_id, lang, entry in entries:
            tr, found = validate_translation(kb, topic_id, lang, entry, translations=after)
            problems.extend(Problem(name, p.field, p.message, p.severity) for p in found)
            if tr is None:
                continue
            old = kb.translations.get(topic_id, {}).get(lang)
            fields = tuple(f for f in ("title", "questions", "answer", "status")
                           if old is None or getattr(old, f) != getattr(tr, f))
            if fields:
                changes.append(Change(topic_id, lang, fields, tr, (bases or {}).get((topic_id, lang), 0)))
        return ImportPlan(changes, problems)

    async def apply_import(self, plan: ImportPlan, *, editor: str) -> list[Change]:
        """Save every change, or none: the changes whose text someone saved since `plan` was made are
        returned and nothing is saved (the editor checks the plan again)."""
        now = dt.datetime.now(dt.UTC)
        async with self.sessions() as session:
            moved = [c for c in plan.changes if await revisions.newest_id(session, c.topic_id, c.lang) != c.base]
            if moved:
                return moved
            try:
                for change in plan.changes:
                    await revisions.save(session, change.topic_id, change.lang, change.new, editor=editor,
                                         note="imported", now=now, replaces=change.base)
                await session.commit()
            except IntegrityError:  # a save got in between the check and this one
                await session.rollback()
                return list(plan.changes)
        await self._published()
        return []


def _stale(editor: str | None) -> Problem:
    who = editor or "Another editor"
    return Problem("", STALE_FIELD, f"{who} saved a newer version of this text while you were editing, so yours "
                                    "was not saved. Your text is still in the form: compare it with theirs in the "
                                    "history, then save again to replace theirs.")


def _with_entries(translations: dict[str, dict[str, Translation]],
                  entries: list[tuple[str, str, str, object]]) -> dict[str, dict[str, Translation]]:
    """The translations with every well-formed uploaded entry in place (for the duplicate check)."""
    after = {topic_id: dict(by_lang) for topic_id, by_lang in translations.items()}
    for _, topic_id, lang, entry in entries:
        try:
            after.setdefault(topic_id, {})[lang] = Translation.model_validate(entry)
        except ValueError:  # its own problems are reported when it is validated
            continue
    return after
