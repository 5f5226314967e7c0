"""The crisis check: runs on every message, in all languages at once.

It looks for danger now — violence happening or threatened, being held, suicide or self-harm, a
medical emergency — in two ways: the per-language lexicons in `crisis/` (stock phrases, `calm` phrases
cancel a hit) and the crisis model (`crisis_model.py`), which generalises from written examples to
other tenses, spellings, dialects and indirect wording. Three outcomes:
- confident: a crisis of one kind, and the kind decides the reply;
- unsure: the bot asks "Are you in danger right now?" (the danger check) instead of deciding;
- calm: nothing.
A missed crisis is far worse than a false alarm, but calm questions ("how do I screen clients",
"this client is killing me lol") must not raise the alarm. Without the model the lexicon works alone.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from knowledge.crisis_model import CALM, CrisisModel
from knowledge.normalize import has_thai, normalize
from knowledge.schema import CrisisLexicon

KINDS = ("violence_now", "held", "suicide", "medical")
_WORD = re.compile(r"\w+")

# The model's probability that a message is a crisis (1 − calm). Chosen on the written examples and
# the held-out set (benchmarks/crisis_heldout.jsonl), never on the public evaluation set: a missed
# crisis costs more than a question asked, so the unsure band starts low.
CONFIDENT = 0.6
UNSURE = 0.2
# A lexicon phrase the model finds plainly calm ("clientul asta ma omoara cu intrebarile lui haha")
# is asked about rather than answered with the emergency numbers.
LEXICON_DOUBT = 0.15


@dataclass(frozen=True)
class CrisisHit:
    kind: str  # one of KINDS
    lang: str  # the lexicon that matched, or the language the message was written in


@dataclass(frozen=True)
class CrisisCheck:
    """`hit` with `unsure` False: a crisis. With `unsure` True: maybe one (`hit.kind` is the best guess):
    ask the person. `hit` None: calm."""

    hit: CrisisHit | None = None
    unsure: bool = False


@cache
def shipped_model() -> CrisisModel | None:
    """Loaded once per process: engines are rebuilt on every content change, the model is not."""
    return CrisisModel.load()


_last_built: list[tuple[dict[str, CrisisLexicon], CrisisDetector]] = []


def detector_for(lexicons: dict[str, CrisisLexicon]) -> CrisisDetector:
    """The detector with the shipped model. An editor's change rebuilds the engine with the same
    lexicons (the same dict): the detector built last time is reused instead of compiled again."""
    if _last_built and _last_built[0][0] is lexicons:
        return _last_built[0][1]
    detector = CrisisDetector(lexicons, shipped_model())
    _last_built[:] = [(lexicons, detector)]
    return detector


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

    def __init__(self, lexicons: dict[str, CrisisLexicon], model: CrisisModel | None = None) -> None:
        self.model = model
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
        """A confident crisis only (the lexicon, and the model where it is sure)."""
        result = self.assess(text)
        return None if result.unsure else result.hit

    def assess(self, text: str, lang: str | None = None) -> CrisisCheck:
        """`lang`: the language the message seems written in, named in a hit the lexicon did not find."""
        hit = self._lexicon_hit(text)
        if self.model is None:
            return CrisisCheck(hit)
        probabilities = self.model.probabilities(text)
        danger = 1.0 - probabilities[CALM]
        if hit is not None:
            return CrisisCheck(hit, unsure=danger < LEXICON_DOUBT)
        if danger < UNSURE:
            return CrisisCheck()
        kind = max(KINDS, key=lambda k: probabilities.get(k, 0.0))
        return CrisisCheck(CrisisHit(kind, lang or "en"), unsure=danger < CONFIDENT)

    def _lexicon_hit(self, text: str) -> CrisisHit | None:
        normalized = normalize(text)
        if not normalized:
            return None
        words = set(_WORD.findall(normalized))
        candidates = list(self._always)
        for word in words:
            candidates.extend(self._by_first_word.get(word, ()))
        candidates.extend(
            (group, pattern)
            for prefix, group, pattern in self._by_first_prefix
            if any(word.startswith(prefix) for word in words)
        )
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
