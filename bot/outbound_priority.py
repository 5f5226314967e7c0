"""How urgent a call to Telegram is, for the outbound scheduler (bot/outbound.py).

Set around the code that posts something whose delay matters: danger first, then the notice of a new
conversation; everything else is a relay, and an edit in a group is cosmetic. A context variable, so
flows and handoff mark their calls without knowing how (or whether) they are scheduled.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from enum import IntEnum


class Priority(IntEnum):
    CRISIS = 0  # a crisis reply, and a crisis conversation's topic and notice
    NOTICE = 1  # a new conversation's topic and notice
    RELAY = 2  # what people and counsellors write to each other, and everything not marked
    COSMETIC = 3  # edits of notices and titles in the counsellors' group


_current: ContextVar[Priority] = ContextVar("outbound_priority", default=Priority.RELAY)


def current_priority() -> Priority:
    return _current.get()


@contextmanager
def outbound_priority(priority: Priority) -> Iterator[None]:
    """Calls made inside go at this priority (a more urgent one set outside is kept)."""
    token = _current.set(min(priority, _current.get()))
    try:
        yield
    finally:
        _current.reset(token)
