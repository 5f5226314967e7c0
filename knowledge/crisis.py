"""The crisis check: runs before matching on every message, in all languages at once.

It looks for danger now — violence happening or threatened, being held, suicide or self-harm — from
the per-language lexicons in `crisis/`. A missed crisis is far worse than a false alarm, but the check
must stay quiet on calm questions such as how to screen clients; the lexicon's phrases describe the
present, and `calm` phrases can cancel a hit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.normalize import has_thai, normalize
from knowledge.schema import CrisisLexicon

KINDS = ("violence_now", "held", "suicide")


@dataclass(frozen=True)
class CrisisHit:
    kind: str  # one of KINDS
    lang: str  # the lexicon that matched


def _phrase_pattern(phrase: str) -> str | None:
    words = normalize(phrase.replace("*", " STAR ")).replace(" star", "*").split()
    if not words:
        return None
    parts = [re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) for w in words]
    # Up to two other words may stand between two words of a phrase ("going to f***ing kill me",
    # "ik ben mezelf aan het snijden").
    return r"(?<!\w)" + r"(?:\s+\S+){0,2}?\s+".join(parts) + r"(?!\w)"


class CrisisDetector:
    def __init__(self, lexicons: dict[str, CrisisLexicon]) -> None:
        self._patterns: list[tuple[str, str, re.Pattern[str]]] = []
        self._thai: list[tuple[str, str, str]] = []
        self._calm: list[re.Pattern[str]] = []
        for lang, lexicon in lexicons.items():
            for kind in KINDS:
                alternatives: list[str] = []
                for phrase in getattr(lexicon, kind):
                    if has_thai(phrase):
                        self._thai.append((kind, lang, normalize(phrase).replace(" ", "")))
                    elif (pattern := _phrase_pattern(phrase)) is not None:
                        alternatives.append(pattern)
                if alternatives:
                    self._patterns.append((kind, lang, re.compile("|".join(alternatives))))
            calm = [p for p in map(_phrase_pattern, lexicon.calm) if p]
            if calm:
                self._calm.append(re.compile("|".join(calm)))

    def check(self, text: str) -> CrisisHit | None:
        normalized = normalize(text)
        if not normalized:
            return None
        hit: CrisisHit | None = None
        for kind, lang, pattern in self._patterns:
            if pattern.search(normalized):
                hit = CrisisHit(kind, lang)
                break
        if hit is None and has_thai(normalized):
            squeezed = normalized.replace(" ", "")
            hit = next((CrisisHit(k, lang) for k, lang, p in self._thai if p in squeezed), None)
        if hit is not None and any(calm.search(normalized) for calm in self._calm):
            return None
        return hit
