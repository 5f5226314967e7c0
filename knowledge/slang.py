"""Slang and variant words, read as the words the knowledge base uses.

Each language has a lexicon beside the content (`knowledge/slang/<lang>.yaml`: `terms:` mapping a
word or phrase as people type it to the plain words of the example questions). A message is
matched with the plain words added, so "kapotje", "flik", "capote", "lbolis" find the topics about
condoms and police without an example for every variant. Editors extend the files; the loader
checks them and names the file and field of any mistake.
"""

from __future__ import annotations

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
        # Word terms are looked up by the message's runs of 1..n words (a dict lookup each, where one
        # regular expression of every term would scan the text once per term); Thai terms, written
        # without spaces, are searched for in the text.
        self._words: dict[str, dict[str, str]] = {}
        self._thai: dict[str, dict[str, str]] = {}
        self._longest = 1
        for lang, lexicon in lexicons.items():
            self._words[lang] = {t: v for t, v in lexicon.terms.items() if not has_thai(t)}
            self._thai[lang] = {t: v for t, v in lexicon.terms.items() if has_thai(t)}
            self._longest = max([self._longest, *(len(t.split()) for t in self._words[lang])])

    def expand(self, text: str, lang: str | None) -> str:
        """`text` (normalised here) with the plain words of its slang terms appended; `lang`: whose
        lexicon to use (every one when unknown)."""
        norm = normalize(text)
        langs = [lang] if lang in self._words else list(self._words) if lang is None else []
        words = norm.split()
        extra: list[str] = []
        for code in langs:
            terms = self._words[code]
            i = 0
            while i < len(words):
                for size in range(min(self._longest, len(words) - i), 0, -1):  # longest term first
                    plain = terms.get(" ".join(words[i : i + size]))
                    if plain is not None:
                        extra.append(plain)
                        i += size
                        break
                else:
                    i += 1
            if self._thai[code] and has_thai(norm):
                extra.extend(plain for term, plain in self._thai[code].items() if term in norm)
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
