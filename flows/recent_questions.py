"""Questions the person may agree to keep (flows/keep_question.py), scrubbed, in this process's memory
only, until they answer or for TTL_SECONDS at most: an expired one is dropped when the next comes in
or is asked for. Never written anywhere by this."""

from __future__ import annotations

import time
from collections import OrderedDict

from knowledge.scrub import scrub

TTL_SECONDS = 15 * 60.0
MAX_ENTRIES = 10_000


class RecentQuestions:
    def __init__(self) -> None:
        # In the order they came in, so the expired ones are always at the front.
        self._items: OrderedDict[tuple[str, int], tuple[float, str]] = OrderedDict()

    def _drop_expired(self, now: float) -> None:
        while self._items:
            first = next(iter(self._items.values()))
            if now - first[0] <= TTL_SECONDS:
                break
            self._items.popitem(last=False)

    def remember(self, pseudonym: str, message_id: int, question: str) -> None:
        now = time.monotonic()
        self._drop_expired(now)
        self._items[(pseudonym, message_id)] = (now, scrub(question))
        while len(self._items) > MAX_ENTRIES:
            self._items.popitem(last=False)

    def take(self, pseudonym: str, message_id: int) -> str | None:
        now = time.monotonic()
        self._drop_expired(now)
        item = self._items.pop((pseudonym, message_id), None)
        return item[1] if item is not None else None

    def __len__(self) -> int:
        return len(self._items)
