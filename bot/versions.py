"""Whether the installed libraries are the ones a change to their defaults was checked against.

The bot changes a few things its libraries do by default (bot/update_event_type.py,
bot/lazy_telegram_types.py, bot/process_tuning.py, bot/admission.py, bot/redis_chat_lock.py). Each
names the release series it was checked with; with any other it is not applied, and says so once.
"""

from __future__ import annotations

import importlib.metadata
import logging
import platform

log = logging.getLogger(__name__)


def installed(package: str) -> str:
    if package == "python":
        return platform.python_version()
    return importlib.metadata.version(package)


def checked_with(what: str, series: dict[str, tuple[str, ...]]) -> bool:
    """True if every package's installed version is in one of its checked series ("3.31" takes
    3.31.0, 3.31.1, ...); otherwise logs one line and returns False."""
    for package, checked in series.items():
        found = installed(package)
        if not any(found == s or found.startswith(s + ".") for s in checked):
            log.warning(
                "%s not applied: checked with %s %s, found %s", what, package, " or ".join(checked), found
            )
            return False
    return True
