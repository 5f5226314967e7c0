"""One object the bot asks: crisis check first, then matching, then the answer in the right language.

The engine is rebuilt as a whole and swapped in one assignment when content changes, so a question
never sees a half-loaded knowledge base.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from knowledge.base import Answer, KnowledgeBase
from knowledge.crisis import CrisisDetector, CrisisHit
from knowledge.languages import fallback_chain
from knowledge.loader import LoadResult, load_knowledge
from knowledge.matcher import Match, Matcher, documents_of


@dataclass(frozen=True)
class Reply:
    crisis: CrisisHit | None
    match: Match
    answer: Answer | None  # None: no confident match (the bot offers the menu and a person)
    lang: str  # the language the reply is in


class AnswerEngine:
    def __init__(self, kb: KnowledgeBase, fallbacks: list[str] | None = None) -> None:
        self.kb = kb
        self.fallbacks = fallbacks or ["en"]
        self.matcher = Matcher(documents_of(kb))
        self.crisis = CrisisDetector(kb.crisis)

    @classmethod
    def load(cls, root: Path | None = None, fallbacks: list[str] | None = None) -> tuple[AnswerEngine, LoadResult]:
        result = load_knowledge(root)
        return cls(result.kb, fallbacks), result

    def chain(self, lang: str | None) -> list[str]:
        return fallback_chain(lang, self.fallbacks)

    def ask(self, text: str, lang: str | None = None) -> Reply:
        """`lang`: the person's language if known; otherwise the language they wrote in is used."""
        crisis = self.crisis.check(text)
        match = self.matcher.match(text)
        wanted = lang or match.lang or self.fallbacks[0]
        answer = self.kb.answer(match.topic_id, self.chain(wanted)) if match.topic_id else None
        return Reply(crisis=crisis, match=match, answer=answer, lang=answer.lang if answer else wanted)

    def answer(self, topic_id: str, lang: str | None) -> Answer | None:
        return self.kb.answer(topic_id, self.chain(lang))


class KnowledgeHolder:
    """The engine currently in use. Reloading builds a new engine and swaps it in one assignment;
    a broken reload keeps the old engine and returns the problems."""

    def __init__(self, root: Path | None = None, fallbacks: list[str] | None = None) -> None:
        self.root = root
        self.fallbacks = fallbacks
        self.engine, self.last_load = AnswerEngine.load(root, fallbacks)

    def reload(self) -> LoadResult:
        engine, result = AnswerEngine.load(self.root, self.fallbacks)
        if not result.errors:
            self.engine = engine
        self.last_load = result
        return result
