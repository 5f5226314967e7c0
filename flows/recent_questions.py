"""The scrubbed question behind each recent answer, kept in memory for an hour, so that a 👎 can
record what was asked. Never written anywhere until someone presses 👎."""

from __future__ import annotations

import time
from collections import OrderedDict

from knowledge.scrub import scrub

TTL_SECONDS = 3600.0
MAX_ENTRIES = 10_000


class RecentQuestions:
    def __init__(self) -> None:
        self._items: OrderedDict[tuple[str, int], tuple[float, str]] = OrderedDict()

    def remember(self, pseudonym: str, answer_message_id: int, question: str) -> None:
        self._items[(pseudonym, answer_message_id)] = (time.monotonic(), scrub(question))
        while len(self._items) > MAX_ENTRIES:
            self._items.popitem(last=False)

    def take(self, pseudonym: str, answer_message_id: int) -> str | None:
        item = self._items.pop((pseudonym, answer_message_id), None)
        if item is None or time.monotonic() - item[0] > TTL_SECONDS:
            return None
        return item[1]
