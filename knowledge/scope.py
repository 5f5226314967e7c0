"""What the service does not answer (`knowledge/scope.yaml`), so that it can say so honestly.

- Another country's law: this service knows Belgium's, and a question about working in the
  Netherlands or Dubai answered with Belgian law would mislead. Such a question is recognised by a
  place abroad named in it (and no Belgian one) while the matcher reads it as a legal question.
- Everyday questions (a price, a train, a restaurant in a Belgian city) share words with the topics;
  the matcher reads their examples as one more topic, EVERYDAY, that is never answered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.languages import SUPPORTED_LANGUAGES
from knowledge.normalize import has_thai, normalize

EVERYDAY = "_everyday"  # the matcher's topic id for everyday questions: never an answer
ABROAD_CATEGORIES = ("legal.",)  # topics whose answer is Belgian law
_ARABIC = re.compile(r"[\u0600-\u06FF]")


@dataclass(frozen=True)
class Scope:
    abroad_places: tuple[str, ...] = ()
    belgian_places: tuple[str, ...] = ()
    here_words: tuple[str, ...] = ()
    everyday: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_abroad", _words_pattern(self.abroad_places))
        object.__setattr__(self, "_belgian", _words_pattern(self.belgian_places + self.here_words))

    @property
    def places(self) -> tuple[str, ...]:
        """Every place name known, in Belgium and abroad."""
        return self.abroad_places + self.belgian_places

    def abroad(self, text: str) -> bool:
        """Whether `text` names a place abroad and no Belgian one."""
        norm = normalize(text)
        abroad: re.Pattern[str] | None = self._abroad  # type: ignore[attr-defined]
        belgian: re.Pattern[str] | None = self._belgian  # type: ignore[attr-defined]
        return bool(abroad and abroad.search(norm)) and not (belgian and belgian.search(norm))


def about_law(topic_id: str | None) -> bool:
    return topic_id is not None and topic_id.startswith(ABROAD_CATEGORIES)


def _words_pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    if not words:
        return None
    terms = sorted({normalize(w) for w in words if normalize(w)}, key=len, reverse=True)
    return re.compile("|".join(_term_pattern(t) for t in terms))


def _term_pattern(term: str) -> str:
    if has_thai(term):
        return re.escape(term)  # no spaces between Thai words
    if _ARABIC.match(term):
        # Arabic writes "in", "and", "to" and "the" onto the word: فدبي, بدبي, والمغرب.
        return rf"(?<!\w)(?:[وفبلك]{{0,2}}(?:ال)?)?{re.escape(term)}(?!\w)"
    return rf"(?<!\w){re.escape(term)}(?!\w)"


def parse_scope(data: object) -> tuple[Scope, list[tuple[str, str]]]:
    """The scope from `scope.yaml`'s document, and the problems found as (field, message)."""
    problems: list[tuple[str, str]] = []
    if not isinstance(data, dict):
        return Scope(), [("", "expected the keys abroad, belgium, here and everyday")]
    unknown = set(data) - {"abroad", "belgium", "here", "everyday"}
    problems.extend(
        (str(key), "unknown key (expected abroad, belgium, here, everyday)")
        for key in sorted(map(str, unknown))
    )

    def words(key: str) -> tuple[str, ...]:
        value = data.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) and normalize(v) for v in value):
            problems.append((key, "expected a list of words"))
            return ()
        return tuple(value)

    everyday: dict[str, tuple[str, ...]] = {}
    raw = data.get("everyday") or {}
    if not isinstance(raw, dict):
        problems.append(("everyday", "expected `<language>:` lists of questions"))
        raw = {}
    for lang, questions in raw.items():
        if lang not in SUPPORTED_LANGUAGES:
            problems.append((f"everyday.{lang}", f"unknown language {lang!r}"))
        elif not isinstance(questions, list) or not all(
            isinstance(q, str) and normalize(q) for q in questions
        ):
            problems.append((f"everyday.{lang}", "expected a list of questions"))
        else:
            everyday[lang] = tuple(questions)
    return Scope(words("abroad"), words("belgium"), words("here"), everyday), problems
