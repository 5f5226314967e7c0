"""The crisis check: runs before matching on every message, in all languages at once.

It looks for danger now — violence happening or threatened, being held, suicide or self-harm — from
the per-language lexicons in `crisis/`. A missed crisis is far worse than a false alarm, but the check
must stay quiet on calm questions such as how to screen clients; the lexicon's phrases describe the
present, and `calm` phrases can cancel a hit.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from knowledge.normalize import has_thai, normalize
from knowledge.schema import CrisisLexicon

KINDS = ("violence_now", "held", "suicide")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class CrisisHit:
    kind: str  # one of KINDS
    lang: str  # the lexicon that matched


def _phrase_words(phrase: str) -> list[str]:
    """The phrase normalised like a message, keeping `*` (any ending) on the words that have it."""
    return normalize(phrase.replace("*", " STAR ")).replace(" star", "*").split()


def _phrase_pattern(phrase: str) -> str | None:
    words = _phrase_words(phrase)
    if not words:
        return None
    parts = [re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) for w in words]
    # Up to two other words may stand between two words of a phrase ("going to f***ing kill me",
    # "ik ben mezelf aan het snijden").
    return r"(?<!\w)" + r"(?:\s+\S+){0,2}?\s+".join(parts) + r"(?!\w)"


class CrisisDetector:
    """Phrases are indexed by their first word, so a message is searched only for the phrases that
    could start in it (a calm question usually for none) instead of for every phrase of every language."""

    def __init__(self, lexicons: dict[str, CrisisLexicon]) -> None:
        self._by_first_word: dict[str, list[tuple[int, re.Pattern[str]]]] = defaultdict(list)
        self._by_first_prefix: list[tuple[str, int, re.Pattern[str]]] = []  # first word ends in *
        self._always: list[tuple[int, re.Pattern[str]]] = []  # a first word that is not one \w+ token
        self._hits: list[CrisisHit] = []  # by group number: the order the lexicons are checked in
        self._thai: list[tuple[str, str, str]] = []
        self._calm: list[re.Pattern[str]] = []
        for lang, lexicon in lexicons.items():
            for kind in KINDS:
                group = len(self._hits)
                self._hits.append(CrisisHit(kind, lang))
                for phrase in getattr(lexicon, kind):
                    if has_thai(phrase):
                        self._thai.append((kind, lang, normalize(phrase).replace(" ", "")))
                    elif (pattern := _phrase_pattern(phrase)) is not None:
                        self._index(phrase, group, re.compile(pattern))
            calm = [p for p in map(_phrase_pattern, lexicon.calm) if p]
            if calm:
                self._calm.append(re.compile("|".join(calm)))

    def _index(self, phrase: str, group: int, pattern: re.Pattern[str]) -> None:
        first = _phrase_words(phrase)[0]
        if first.endswith("*") and _WORD.fullmatch(first[:-1]):
            self._by_first_prefix.append((first[:-1], group, pattern))
        elif _WORD.fullmatch(first):
            self._by_first_word[first].append((group, pattern))
        else:
            self._always.append((group, pattern))

    def check(self, text: str) -> CrisisHit | None:
        normalized = normalize(text)
        if not normalized:
            return None
        words = set(_WORD.findall(normalized))
        candidates = list(self._always)
        for word in words:
            candidates.extend(self._by_first_word.get(word, ()))
        candidates.extend((group, pattern) for prefix, group, pattern in self._by_first_prefix
                          if any(word.startswith(prefix) for word in words))
        hit: CrisisHit | None = None
        for group, pattern in sorted(candidates, key=lambda candidate: candidate[0]):
            if pattern.search(normalized):
                hit = self._hits[group]
                break
        if hit is None and has_thai(normalized):
            squeezed = normalized.replace(" ", "")
            hit = next((CrisisHit(k, lang) for k, lang, p in self._thai if p in squeezed), None)
        if hit is not None and any(calm.search(normalized) for calm in self._calm):
            return None
        return hit
