"""Remove what could identify someone from a question before it is kept for editors: phone
numbers, e-mail addresses, @handles, links and long digit runs."""

from __future__ import annotations

import re

REMOVED = "[…]"
_PATTERNS = [
    re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"),  # e-mail
    re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|be|nl|fr|org|net|eu|me|io|ly|gg)(?:/\S*)?\b", re.IGNORECASE),
    re.compile(r"(?<!\w)@\w{3,}"),  # Telegram, Instagram... handles
    re.compile(r"(?:\+|00)?\d[\d\s().\-/]{5,}\d"),  # phone numbers and long digit runs, however spaced
]


def scrub(text: str) -> str:
    for pattern in _PATTERNS:
        text = pattern.sub(REMOVED, text)
    return re.sub(r"\s+", " ", text).strip()[:500]
