"""One object the bot asks: crisis check first, then matching, then the answer in the right language.

The engine is rebuilt as a whole and swapped in one assignment when content changes, so a question
never sees a half-loaded knowledge base.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from knowledge.base import Answer, KnowledgeBase
from knowledge.crisis import CrisisDetector, CrisisHit, detector_for
from knowledge.languages import fallback_chain
from knowledge.loader import LoadResult, load_knowledge
from knowledge.matcher import Match, Matcher, documents_of
from knowledge.schema import Translation
from knowledge.scope import about_law


@dataclass(frozen=True)
class Reply:
    crisis: CrisisHit | None
    match: Match
    answer: Answer | None  # None: no confident match (the bot offers the menu and a person)
    lang: str  # the language the reply is in
    abroad: bool = False  # about the law of another country: the bot says it covers Belgium only
    danger_check: CrisisHit | None = None  # maybe a crisis (the best guess of its kind): ask first


class AnswerEngine:
    def __init__(self, kb: KnowledgeBase, fallbacks: list[str] | None = None) -> None:
        self.kb = kb
        self.fallbacks = fallbacks or ["en"]
        self.matcher = Matcher(documents_of(kb), kb.slang, kb.scope.places)
        self.crisis: CrisisDetector = detector_for(kb.crisis)

    @classmethod
    def load(
        cls, root: Path | None = None, fallbacks: list[str] | None = None
    ) -> tuple[AnswerEngine, LoadResult]:
        result = load_knowledge(root)
        return cls(result.kb, fallbacks), result

    def chain(self, lang: str | None) -> list[str]:
        return fallback_chain(lang, self.fallbacks)

    def ask(self, text: str, lang: str | None = None) -> Reply:
        """`lang`: the person's language if known; otherwise the language they wrote in is used."""
        match = self.matcher.match(text, lang)
        check = self.crisis.assess(text, lang or match.lang)
        crisis, unsure = (None, check.hit) if check.unsure else (check.hit, None)
        wanted = lang or match.lang or self.fallbacks[0]
        # A legal question (or one that may be) about a place abroad: Belgian law would mislead.
        legal = about_law(match.candidate) or any(about_law(topic) for topic in match.suggestions)
        if legal and self.kb.scope.abroad(text):
            return Reply(
                crisis=crisis,
                match=replace(match, topic_id=None, suggestions=()),
                answer=None,
                lang=wanted,
                abroad=True,
                danger_check=unsure,
            )
        answer = self.kb.answer(match.topic_id, self.chain(wanted)) if match.topic_id else None
        return Reply(crisis=crisis, match=match, answer=answer, lang=answer.lang if answer else wanted,
                     danger_check=unsure)

    def answer(self, topic_id: str, lang: str | None) -> Answer | None:
        return self.kb.answer(topic_id, self.chain(lang))


class KnowledgeHolder:
    """The engine currently in use: the shipped files with the editors' newest revisions on top.

    A change builds a whole new engine and swaps it in with one assignment, so a question never
    sees a half-loaded knowledge base; a broken file reload keeps the old engine.
    """

    def __init__(self, root: Path | None = None, fallbacks: list[str] | None = None) -> None:
        self.root = root
        self.fallbacks = fallbacks
        self.last_load = load_knowledge(root)
        self.overrides: dict[tuple[str, str], Translation] = {}
        self.version = 0
        self.engine = AnswerEngine(self.last_load.kb, fallbacks)

    @property
    def shipped(self) -> KnowledgeBase:
        return self.last_load.kb

    def apply(self, overrides: dict[tuple[str, str], Translation], version: int) -> None:
        """Use the shipped content with `overrides` (the newest revision per topic and language)."""
        self.engine = AnswerEngine(overlay(self.shipped, overrides), self.fallbacks)
        self.overrides, self.version = overrides, version

    def reload(self) -> LoadResult:
        result = load_knowledge(self.root)
        if not result.errors:
            self.last_load = result
            self.apply(self.overrides, self.version)
        return result


def overlay(kb: KnowledgeBase, overrides: dict[tuple[str, str], Translation]) -> KnowledgeBase:
    translations = {topic: dict(by_lang) for topic, by_lang in kb.translations.items()}
    for (topic_id, lang), tr in overrides.items():
        translations.setdefault(topic_id, {})[lang] = tr
    return KnowledgeBase(
        translations=translations, services=kb.services, crisis=kb.crisis, slang=kb.slang, scope=kb.scope,
        phrases=kb.phrases,
    )
