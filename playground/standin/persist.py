"""The state file, written whole but throttled: at most one write per interval, never quadratic.

`request()` marks the state changed. The first change after a quiet spell is written at once (so a
single API call is on disk when it answers); changes that follow within the interval are gathered
into one write at the interval's end. `flush()` writes what is pending now; the app calls it on
cleanup and an atexit hook calls it when the process ends normally, so a clean stop loses nothing.

`request(urgent=True)` (getUpdates confirming updates) writes at once as long as writing is cheap,
i.e. keeps writes below about a fifth of the time (a small state: always), and is throttled like any
change otherwise. So, while the state is small, a confirmed update is never handed out again even
after a crash. Otherwise only a crash (or kill -9) can lose the last interval's changes, e.g. an
acknowledged update that is then delivered again after the restart: at-least-once, as Telegram
itself promises (and the bot is idempotent by update_id).

The interval is SAVE_INTERVAL, stretched to a few times the duration of the last write when the
state has grown so big that writing it takes a noticeable share of that interval (capped), so a
long benchmark never spends most of its time serialising the stand-in.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import json
import os
import pathlib
import time
import weakref
from collections.abc import Callable
from typing import Any

SAVE_INTERVAL = 0.2  # seconds between two writes, at least
_MAX_INTERVAL = 2.0
_WRITE_SHARE = 4  # the interval is at least this many times the last write's duration

_open_files: weakref.WeakSet[ThrottledJSONFile] = weakref.WeakSet()


class ThrottledJSONFile:
    """One JSON file, written with a temp file and os.replace so a crash never leaves half a file."""

    def __init__(self, path: pathlib.Path, snapshot: Callable[[], Any]) -> None:
        self.path = path
        self._snapshot = snapshot
        self._dirty = False
        self._handle: asyncio.TimerHandle | None = None
        self._last_write = float("-inf")
        self._last_duration = 0.0
        self._interval = SAVE_INTERVAL
        self.writes = 0  # for tests and stats: how often the file was written
        _open_files.add(self)

    @property
    def pending(self) -> bool:
        return self._dirty

    def request(self, *, urgent: bool = False) -> None:
        """Note a change; it reaches the disk now or within the interval (urgent: now, if cheap)."""
        self._dirty = True
        if urgent and time.monotonic() - self._last_write >= _WRITE_SHARE * self._last_duration:
            self.flush()
            return
        if self._handle is not None:
            return  # a write is already due
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.flush()  # no loop to wait in (scripts, atexit): write at once
            return
        delay = self._last_write + self._interval - time.monotonic()
        if delay <= 0:
            self.flush()
        else:
            self._handle = loop.call_later(delay, self.flush)

    def flush(self) -> None:
        """Write pending changes now (a no-op when there are none)."""
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        if not self._dirty:
            return
        started = time.monotonic()
        text = json.dumps(self._snapshot(), ensure_ascii=False)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, self.path)
        self._dirty = False
        self.writes += 1
        self._last_write = time.monotonic()
        self._last_duration = self._last_write - started
        self._interval = min(max(SAVE_INTERVAL, _WRITE_SHARE * self._last_duration), _MAX_INTERVAL)


@atexit.register
def _flush_all_at_exit() -> None:
    for file in list(_open_files):
        # The directory may be gone (a test's tmp dir): then there is nothing left to keep it for.
        with contextlib.suppress(OSError):
            file.flush()
