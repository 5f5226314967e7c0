"""aiogram's `Update.event_type` without its cache, which kept the last 128 updates alive.

aiogram computes an update's type in a property wrapped in `functools.lru_cache`, keyed by the update
itself. So each update, and every object in it (the message, its text, the person's name), stayed in
memory until 128 later updates had pushed it out: a relayed conversation's words kept long after
their handling ended, against the promise that they are not kept in plain form. It cost speed too:
those objects outlived the garbage collector's young generations, so every update's ~20 objects were
walked again by the older, slower collections (the longest pauses, set off more often).

The type is a handful of attribute checks; computed each time, it costs less than the cache's
hashing. The replacement is aiogram's own function, unwrapped, so the answer is the same.
"""

from __future__ import annotations

from aiogram.types import Update


def install() -> bool:
    """True if aiogram's cached property was replaced (False: it is not cached in this aiogram)."""
    cached = Update.__dict__.get("event_type")
    fget = getattr(cached, "fget", None)
    uncached = getattr(fget, "__wrapped__", None)
    if uncached is None:
        return False
    fget.cache_clear()  # type: ignore[union-attr]  (anything cached before now goes too)
    Update.event_type = property(uncached, doc=cached.__doc__)  # type: ignore[method-assign,assignment]
    return True
