"""aiogram's `Update.event_type` without its cache, which kept the last 128 updates alive.

aiogram computes an update's type in a property wrapped in `functools.lru_cache`, keyed by the update
itself. So each update, and every object in it (the message, its text, the person's name), stayed in
memory until 128 later updates had pushed it out: a relayed conversation's words kept long after
their handling ended, against the promise that they are not kept in plain form. (Reported upstream:
see docs/architecture.md, notes for maintainers.)

The type is a handful of attribute checks; computed each time, it costs less than the cache's
hashing. The replacement is aiogram's own function, unwrapped, so the answer is the same. Applied
by the composition root (bot/app.py), never on import.
"""

from __future__ import annotations

from aiogram.types import Update

from bot.versions import checked_with

CHECKED_WITH = {"aiogram": ("3.31",)}


def apply() -> bool:
    """True if aiogram's cached property was replaced (False: not checked with this aiogram, or
    already replaced)."""
    cached = Update.__dict__.get("event_type")
    fget = getattr(cached, "fget", None)
    uncached = getattr(fget, "__wrapped__", None)
    if uncached is None or not checked_with("uncached Update.event_type", CHECKED_WITH):
        return False
    fget.cache_clear()  # type: ignore[union-attr]  (anything cached before now goes too)
    Update.event_type = property(uncached, doc=cached.__doc__)  # type: ignore[method-assign,assignment]
    return True
