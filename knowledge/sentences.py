"""Long messages told as a story: the sentences, and which of them ask something.

Someone explains their situation for three sentences and asks in the fourth; matched as a whole,
the story's words outvote the question's. The matcher also reads the questions alone.
"""

from __future__ import annotations

import re

_END = re.compile(r"(?<=[.!?…؟;])\s+|\n+|(?<=[?؟])(?=\S)")
_ASKS = re.compile(r"[?؟]")
LONG = 15  # words: below this a message is read only as a whole


def sentences(text: str) -> list[str]:
    return [part.strip() for part in _END.split(text) if part and part.strip()]


def questions(text: str) -> list[str]:
    """The parts of a long message worth reading alone: the sentences that ask, else the last one."""
    if len(text.split()) < LONG:
        return []
    parts = sentences(text)
    if len(parts) < 2:
        return []
    asking = [p for p in parts if _ASKS.search(p) and len(p.split()) >= 3]
    return asking or [parts[-1]]
