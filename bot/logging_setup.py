"""Logging that cannot leak a person: JSON lines with the event and counts, never message content.

aiogram logs "Update id=... is handled" with the user's id at INFO level; those loggers are held at
WARNING, and every record passes a filter that masks long digit runs, in case a library puts an id
in an exception message.
"""

from __future__ import annotations

import json
import logging
import re
import sys

_DIGITS = re.compile(r"\d{6,}")


class RedactIds(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        # aiogram's ClientDecodeError ends its text with the whole raw answer ("Content: {...}"):
        # whoever logs it, that part (names, usernames, messages) is cut.
        cut = message.split("\nContent: ", 1)[0]
        if cut != message or _DIGITS.search(cut):
            record.msg = _DIGITS.sub("[id]", cut)
            record.args = ()
        return True


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"), "level": record.levelname,
                 "logger": record.name, "event": record.getMessage()}
        if record.exc_info and record.exc_info[0] is not None:
            entry["error"] = record.exc_info[0].__name__  # the type only: tracebacks can hold content
        return json.dumps(entry, ensure_ascii=False)


def setup_logging(level: str = "INFO", stream: object = None) -> None:
    handler = logging.StreamHandler(stream or sys.stderr)  # type: ignore[arg-type]
    handler.setFormatter(JsonLines())
    handler.addFilter(RedactIds())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # aiosqlite and SQLAlchemy print statements with their parameters at DEBUG: never let them.
    for noisy in ("aiogram.event", "aiogram.dispatcher", "aiohttp.access", "aiogram.middlewares", "alembic",
                  "aiosqlite", "sqlalchemy", "asyncpg"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
