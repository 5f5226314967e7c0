"""Whom the "not yet checked by a native speaker" note has been shown to lately. The note stays
honest, but said under every answer of one conversation it buries the answers: once per person per
TTL is enough. Kept in memory only, by pseudonym (never a Telegram id); a restart shows it once more."""

from __future__ import annotations

import time
from collections import OrderedDict

TTL_SECONDS = 6 * 3600.0  # about one conversation
MAX_ENTRIES = 10_000


class DraftNotes:
    def __init__(self) -> None:
        self._shown: OrderedDict[str, float] = OrderedDict()

    def due(self, pseudonym: str | None) -> bool:
        """True if the note should go under this answer; it then counts as shown."""
        if pseudonym is None:
            return True
        now = time.monotonic()
        shown = self._shown.get(pseudonym)
        if shown is not None and now - shown < TTL_SECONDS:
            return False
        self._shown[pseudonym] = now
        self._shown.move_to_end(pseudonym)
        while len(self._shown) > MAX_ENTRIES:
            self._shown.popitem(last=False)
        return True
