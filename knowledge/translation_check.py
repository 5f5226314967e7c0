"""Compare every translation with its English reference text, for `vraagbaak kb check`.

A translation may word things differently, but the facts a person acts on must be the same in every
language: the phone numbers, the figures (72 hours, 28 days, €6,000), the services named and the
/commands. A number that is not in the referral directory could send someone in danger to a
stranger, so every phone number in any answer must be one of `services.yaml`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from knowledge.base import SERVICE_TOKEN, KnowledgeBase
from knowledge.loader import Problem
from knowledge.topics import TOPIC_IDS, category_of

REFERENCE = "en"

_TAG = re.compile(r"<[^>]*>")
# "/talk", but not "and/or", "24/7" or a URL's path.
_COMMAND = re.compile(r"(?<![\w/])/[a-z]+\b")
# Belgian numbers written in full: 0 or +32, then 8 or 9 more digits with single separators.
_LONG_PHONE = re.compile(r"(?<!\d)(?:\+32[ .]?|0)\d(?:[ .-]?\d){7,8}(?!\d)")
# European harmonised numbers (116 000, 116 111).
_HARMONISED = re.compile(r"(?<!\d)116[ \u00a0\u202f]?\d{3}(?!\d)")
# Belgian short numbers 100–119 (112, 101, 106, 107, 108 …) are phone numbers wherever they stand.
_SHORT_CODE = re.compile(r"(?<!\d)1[01]\d(?![\dA-Za-z])")
# "24/7" and its spellings: "24h/24", "24 u/24", "7j/7", "7d/7".
_ROUND_THE_CLOCK = re.compile(
    r"(?<!\d)(?:24\s*[a-zA-Z]{0,3}\s*/\s*(?:24|7)|7\s*[a-zA-Z]{0,3}\s*/\s*7)(?![\d])"
)
# A time of day counts as its hour: "18:00", "18.00", "18h00", "18u".
_TIME = re.compile(r"(?<!\d)(\d{1,2})[:.hu](\d{2})(?!\d)")
# Thousands written with a separator: "6,000", "6.000", "6 000".
_THOUSANDS = re.compile(r"(?<!\d)\d{1,3}(?:[,. \u00a0\u202f]\d{3})+(?![\d,.]\d)")
_NUMBER = re.compile(r"\d+")


@dataclass(frozen=True)
class Facts:
    """What a reader acts on in one answer."""

    phones: frozenset[str] = field(default_factory=frozenset)
    figures: frozenset[str] = field(default_factory=frozenset)
    services: frozenset[str] = field(default_factory=frozenset)
    commands: frozenset[str] = field(default_factory=frozenset)


def _digits(text: str) -> str:
    return "".join(str(int(ch)) for ch in text if ch.isdigit())


def phone_key(phone: str) -> str:
    """A phone number as its digits only, +32 written as the national 0."""
    digits = _digits(phone)
    return "0" + digits[2:] if phone.strip().startswith("+32") else digits


def facts_of(answer: str, directory_phones: frozenset[str] = frozenset()) -> Facts:
    """The phone numbers, figures, services and commands of one raw answer (with `{service:…}` tokens)."""
    services = frozenset(SERVICE_TOKEN.findall(answer))
    text = _TAG.sub(" ", SERVICE_TOKEN.sub(" ", answer))
    commands = frozenset(_COMMAND.findall(text))
    text = _COMMAND.sub(" ", text)

    phones: set[str] = set()

    def _phone(match: re.Match[str]) -> str:
        phones.add(phone_key(match.group(0)))
        return " "

    text = _LONG_PHONE.sub(_phone, text)
    text = _HARMONISED.sub(_phone, text)
    # A short number that the directory lists is a phone number too (1813, 1712).
    short = {key for key in directory_phones if len(key) <= 4}
    text = re.sub(
        r"(?<!\d)\d{3,4}(?!\d)", lambda m: _phone(m) if _digits(m.group(0)) in short else m.group(0), text
    )
    text = _SHORT_CODE.sub(_phone, text)

    figures: set[str] = set()
    if _ROUND_THE_CLOCK.search(text):
        figures.add("24/7")
        text = _ROUND_THE_CLOCK.sub(" ", text)

    def _figure(value: str) -> str:
        figures.add(str(int(_digits(value))))
        return " "

    text = _TIME.sub(lambda m: _figure(m.group(1)), text)
    text = _THOUSANDS.sub(lambda m: _figure(m.group(0)), text)
    _NUMBER.sub(lambda m: _figure(m.group(0)), text)
    return Facts(frozenset(phones), frozenset(figures), services, frozenset(commands))


def directory_phones(kb: KnowledgeBase) -> frozenset[str]:
    return frozenset(phone_key(s.phone) for s in kb.services.values() if s.phone)


def _differences(kind: str, reference: frozenset[str], translated: frozenset[str]) -> list[str]:
    out = []
    if missing := sorted(reference - translated):
        out.append(f"lacks the {kind} {', '.join(missing)} that the English text has")
    if added := sorted(translated - reference):
        out.append(f"adds the {kind} {', '.join(added)} that the English text does not have")
    return out


def check_translations(kb: KnowledgeBase, root_name: str = "knowledge") -> list[Problem]:
    """Warnings where a translation's facts differ from English; errors for phone numbers that are not
    in the referral directory."""
    known = directory_phones(kb)
    problems: list[Problem] = []
    for topic_id in TOPIC_IDS:
        by_lang = kb.translations.get(topic_id, {})
        reference = by_lang.get(REFERENCE)
        ref_facts = facts_of(reference.answer, known) if reference else None
        for lang, tr in sorted(by_lang.items()):
            file = str(Path(root_name) / "content" / lang / f"{category_of(topic_id)}.yaml")
            facts = facts_of(tr.answer, known)
            title_phones = facts_of(tr.title, known).phones
            for phone in sorted((facts.phones | title_phones) - known):
                problems.append(
                    Problem(
                        file, f"{topic_id}.answer", f"phone number {phone} is not in the referral directory"
                    )
                )
            if ref_facts is None or lang == REFERENCE:
                continue
            for kind, ref, got in (
                ("phone numbers", ref_facts.phones, facts.phones),
                ("figures", ref_facts.figures, facts.figures),
                ("services", ref_facts.services, facts.services),
                ("commands", ref_facts.commands, facts.commands),
            ):
                for message in _differences(kind, ref, got):
                    problems.append(Problem(file, f"{topic_id}.answer", message, "warning"))
    return problems
