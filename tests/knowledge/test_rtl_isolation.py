"""In Arabic (right-to-left) text, every /command and phone number sits in a directional isolate.

Without one, Telegram shows "/talk" as "talk/" and can reorder the digit groups of "078 05 58 00".
The check runs on what the person really sees: the rendered answers (service names and phones filled
in) and the Arabic interface catalog.
"""

from __future__ import annotations

import re

from babel.messages.pofile import read_po

from bot.i18n import LOCALES_DIR
from knowledge.loader import load_knowledge

RTL_LANGUAGES = ("ar",)
COMMAND = re.compile(r"(?<![<\w])/[a-z]+\b")  # not a closing tag like </b>
OPENERS = "\u2066\u2067\u2068"  # LRI, RLI, FSI
CLOSER = "\u2069"  # PDI


def bare_spans(text: str, needles: list[re.Pattern[str]]) -> list[str]:
    """The matches of `needles` in `text` that are not inside an isolate."""
    depth_at: list[int] = []
    depth = 0
    for char in text:
        if char in OPENERS:
            depth += 1
        elif char == CLOSER and depth:
            depth -= 1
        depth_at.append(depth)
    bare = []
    for needle in needles:
        for match in needle.finditer(text):
            if depth_at[match.start()] == 0:
                bare.append(match.group(0))
    return bare


def phone_patterns() -> list[re.Pattern[str]]:
    kb = load_knowledge().kb
    phones = {service.phone for service in kb.services.values() if service.phone}
    return [re.compile(rf"(?<![\d ]){re.escape(phone)}(?![\d])") for phone in sorted(phones)]


def test_the_needle_finder_sees_a_bare_command_and_accepts_an_isolated_one() -> None:
    assert bare_spans("اكتب /talk الآن", [COMMAND]) == ["/talk"]
    assert bare_spans("اكتب \u2068/talk\u2069 الآن", [COMMAND]) == []


def test_arabic_answers_isolate_every_command_and_phone_number() -> None:
    kb = load_knowledge().kb
    needles = [COMMAND, *phone_patterns()]
    problems = []
    for topic_id in kb.topic_ids:
        for lang in RTL_LANGUAGES:
            answer = kb.answer(topic_id, [lang])
            if answer is None or answer.lang != lang:
                continue
            bare = bare_spans(answer.html, needles)
            if bare:
                problems.append(f"{lang} {topic_id}: {bare}")
    assert not problems, "\n".join(problems)


def test_the_arabic_catalog_isolates_every_command_and_phone_number() -> None:
    needles = [COMMAND, *phone_patterns()]
    problems = []
    for lang in RTL_LANGUAGES:
        with open(LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po", "rb") as handle:
            catalog = read_po(handle, locale=lang)
        for message in catalog:
            if not message.id or not message.string:
                continue
            targets = message.string if isinstance(message.string, tuple) else (message.string,)
            for target in targets:
                bare = bare_spans(target, needles)
                if bare:
                    source = message.id if isinstance(message.id, str) else message.id[0]
                    problems.append(f"{lang} {source[:40]!r}: {bare}")
    assert not problems, "\n".join(problems[:20])
