"""Slang and variant words, read as the words the knowledge base uses.

Each language has a lexicon beside the content (`knowledge/slang/<lang>.yaml`: `terms:` mapping a
word or phrase as people type it to the plain words of the example questions). A message is
matched with the plain words added, so "kapotje", "flik", "capote", "lbolis" find the topics about
condoms and police without an example for every variant. Editors extend the files; the loader
checks them and names the file and field of any mistake.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from knowledge.normalize import has_thai, normalize


@dataclass(frozen=True)
class SlangLexicon:
    lang: str
    terms: dict[str, str]  # normalised term -> plain words (normalised)


class SlangExpander:
    """Adds the plain words of every known term found in a message."""

    def __init__(self, lexicons: Mapping[str, SlangLexicon]) -> None:
        self._patterns: dict[str, tuple[re.Pattern[str], dict[str, str]]] = {}
        for lang, lexicon in lexicons.items():
            if not lexicon.terms:
                continue
            # Longest first, so "vieze ziekte" wins over "ziekte"; Thai has no spaces between words.
            terms = sorted(lexicon.terms, key=len, reverse=True)
            alternatives = "|".join(
                re.escape(t) if has_thai(t) else rf"(?<!\w){re.escape(t)}(?!\w)" for t in terms
            )
            self._patterns[lang] = (re.compile(alternatives), lexicon.terms)

    def expand(self, text: str, lang: str | None) -> str:
        """`text` (normalised here) with the plain words of its slang terms appended; `lang`: whose
        lexicon to use (every one when unknown)."""
        norm = normalize(text)
        langs = [lang] if lang in self._patterns else list(self._patterns) if lang is None else []
        extra: list[str] = []
        for code in langs:
            pattern, terms = self._patterns[code]
            extra.extend(terms[m.group(0)] for m in pattern.finditer(norm))
        return f"{norm} {' '.join(extra)}" if extra else norm


def parse_lexicon(lang: str, data: object) -> tuple[SlangLexicon | None, list[tuple[str, str]]]:
    """A lexicon from a YAML document, or the problems found as (field, message)."""
    if not isinstance(data, dict) or set(data) != {"terms"}:
        return None, [("", "expected one key, `terms:`, holding `slang term: plain words` lines")]
    raw = data["terms"]
    if not isinstance(raw, dict):
        return None, [("terms", "expected `slang term: plain words` lines")]
    problems: list[tuple[str, str]] = []
    terms: dict[str, str] = {}
    for key, value in raw.items():
        field = f"terms.{key}"
        if not isinstance(key, str) or not normalize(key):
            problems.append((field, "a term must be words"))
        elif not isinstance(value, str) or not normalize(value):
            problems.append((field, "the plain words must be a non-empty text"))
        elif normalize(key) == normalize(value):
            problems.append((field, "maps to itself: a term needs other plain words"))
        elif normalize(key) in terms:
            problems.append((field, f"the same term as {normalize(key)!r} once accents and case are ignored"))
        else:
            terms[normalize(key)] = normalize(value)
    return SlangLexicon(lang, terms), problems
