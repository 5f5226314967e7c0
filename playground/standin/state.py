"""What the stand-in knows, kept on disk so a restarted playground shows the same chats.

Everything is plain JSON (string keys), written whole with a temp file and os.replace so a crash
never leaves half a file, and throttled (see persist.py): `save()` asks for a write, which happens
at once or within 0.2 s, and cleanup flushes; updates confirmed by getUpdates are written at once
while that is cheap. The stand-in plays Telegram, so it holds ids, names
and texts; it never logs them. Call log, counters and fault rules live in memory only: they serve
one test run.

The update queue (`data["updates"]`) is ordered by update_id. Updates a webhook delivery has in
flight are in `in_flight` and are never handed out by getUpdates at the same time.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import json
import os
import pathlib
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from aiohttp import web

from playground.standin.config import Config
from playground.standin.errors import bad_request
from playground.standin.faults import Faults
from playground.standin.limits import TelegramLimits
from playground.standin.persist import ThrottledJSONFile
from playground.standin.stats import Stats

STATE_FILE = "standin.json"
STATE_VERSION = 1
_MAX_CALLS = 10_000  # enough for any test; bounded so a long playground session cannot grow forever
# Presses kept answerable: a load run queues thousands at once (Telegram expires them by age instead).
_MAX_CALLBACKS = 10_000


def _fresh() -> dict[str, Any]:
    return {
        "version": STATE_VERSION,
        "next_update_id": 1,
        "updates": [],
        "allowed_updates": [],
        "chats": {},
        "users": {},
        "files": {},
        "commands": {},
        "menu_buttons": {},
        "webhook": {"url": ""},
        "blocked": [],
        "callbacks": {},
        "next_file_number": 1,
        # The highest update_id getUpdates has handed out: setWebhook confirms these, so a webhook never
        # delivers what a poller already got.
        "polled_upto": 0,
    }


class StandinState:
    """The stand-in's memory plus the long-poll wake-up; one per app."""

    def __init__(self, state_dir: pathlib.Path, config: Config, *, limits: bool = True) -> None:
        self.config = config
        self.limits = TelegramLimits(enabled=limits)
        self.path = state_dir / STATE_FILE
        state_dir.mkdir(parents=True, exist_ok=True)
        self.data: dict[str, Any] = self._load()
        self._ensure_counsellor_chat()
        self.faults = Faults()
        self.calls: deque[dict[str, Any]] = deque(maxlen=_MAX_CALLS)
        self.stats = Stats()
        self.closing = False
        self.poll_generation = 0
        self._wakeup = asyncio.Event()
        self._listeners: list[Callable[[], None]] = []
        self._file = ThrottledJSONFile(self.path, lambda: self.data)
        self.in_flight: set[int] = set()  # update ids a webhook delivery is handing over right now
        self.queued_at: dict[int, float] = {}  # update id -> when it was made (monotonic), until acknowledged
        # Bumped whenever the queue changes other than by push_update or remove_update, so that the
        # webhook delivery knows to re-read it.
        self.queue_epoch = 0
        # Bumped on every change that is saved: the page's long poll (GET /api/changes) waits on it
        # instead of asking for every chat every second.
        self.changes = 0
        self._changed = asyncio.Event()

    # persistence ------------------------------------------------------------------------------
    def _load(self) -> dict[str, Any]:
        if not self.path.exists():
            return _fresh()
        data = json.loads(self.path.read_text(encoding="utf-8"))
        fresh = _fresh()
        fresh.update(data)  # keys added in later versions get their defaults
        return fresh

    def save(self, *, urgent: bool = False) -> None:
        """Ask for the state to be written: at once, or within the throttle interval (see persist.py)."""
        self._file.request(urgent=urgent)
        self.announce_change()

    def announce_change(self) -> None:
        """Release every page waiting for a change (also at shutdown, so none holds it up)."""
        self.changes += 1
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_for_change(self, seen: int, seconds: float) -> int:
        """The change count once it differs from `seen` (at once if it already does), or after `seconds`."""
        if self.changes == seen and not self.closing:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), timeout=seconds)
        return self.changes

    def flush(self) -> None:
        """Write pending changes now (cleanup, tests)."""
        self._file.flush()

    @property
    def file_writes(self) -> int:
        return self._file.writes

    def _ensure_counsellor_chat(self) -> None:
        chat = self.data["chats"].setdefault(
            str(self.config.counsellor_chat_id),
            {
                "id": self.config.counsellor_chat_id,
                "type": "supergroup",
                "is_forum": True,
                # Message 1 of a real supergroup is its creation, so topics (= message ids) never get id 1,
                # which clients use for the General topic.
                "next_message_id": 2,
                "messages": {},
                "topics": {},
                "alerts": [],
                "left": False,
            },
        )
        chat["title"] = self.config.counsellor_chat_title

    def now(self) -> int:
        return int(time.time())

    # users and chats --------------------------------------------------------------------------
    def remember_user(self, user: dict[str, Any]) -> dict[str, Any]:
        clean = {"id": int(user["id"]), "is_bot": False, "first_name": str(user.get("first_name") or "User")}
        for key in ("last_name", "username", "language_code"):
            if user.get(key):
                clean[key] = str(user[key])
        if user.get("is_premium") is True:
            clean["is_premium"] = True
        self.data["users"][str(clean["id"])] = clean
        return clean

    def user(self, user_id: int) -> dict[str, Any]:
        if user_id == self.config.bot_id:
            return self.config.bot_user
        known = self.data["users"].get(str(user_id))
        return known or {"id": user_id, "is_bot": False, "first_name": f"User {user_id}"}

    def chat(self, chat_id: Any) -> dict[str, Any] | None:
        try:
            return self.data["chats"].get(str(int(chat_id)))
        except (TypeError, ValueError):
            return None  # "@username" style ids: nothing here has a username

    def require_chat(self, chat_id: Any) -> dict[str, Any]:
        chat = self.chat(chat_id)
        if chat is None:
            raise bad_request("chat not found")
        return chat

    def ensure_private_chat(self, user: dict[str, Any]) -> dict[str, Any]:
        return self.data["chats"].setdefault(
            str(user["id"]),
            {
                "id": user["id"],
                "type": "private",
                "next_message_id": 1,
                "messages": {},
                "topics": {},
                "alerts": [],
                "left": False,
            },
        )

    def is_deactivated(self, user_id: int) -> bool:
        return user_id in self.data.setdefault("deactivated", [])

    def deactivate(self, user_id: int) -> None:
        """The user deleted their account: Telegram answers 403 "user is deactivated" from then on."""
        if not self.is_deactivated(user_id):
            self.data["deactivated"].append(user_id)

    def is_blocked(self, user_id: int) -> bool:
        return user_id in self.data["blocked"]

    def set_blocked(self, user_id: int, blocked: bool) -> bool:
        """Return True if the state changed."""
        if blocked == self.is_blocked(user_id):
            return False
        if blocked:
            self.data["blocked"].append(user_id)
        else:
            self.data["blocked"].remove(user_id)
        return True

    # messages ---------------------------------------------------------------------------------
    def add_message(self, chat: dict[str, Any], sender: dict[str, Any], **fields: Any) -> dict[str, Any]:
        """Store a new message; message ids count per chat, as in Telegram's private chats and supergroups."""
        message_id = chat["next_message_id"]
        chat["next_message_id"] += 1
        record: dict[str, Any] = {
            "message_id": message_id,
            "date": self.now(),
            "from": dict(sender),  # a copy: a later name change must not rewrite old messages
            "thread_id": None,
            "text": None,
            "html": None,
            "caption": None,
            "caption_html": None,
            "media": None,
            "location": None,
            "contact": None,
            "reply_markup": None,
            "forward_origin": None,
            "reply_to": None,
            "deleted": False,
            "edit_date": None,
            "service": None,
            "sender_chat": False,  # True: sent as the chat itself (an anonymous group admin)
        }
        record.update(fields)
        chat["messages"][str(message_id)] = record
        return record

    def message(self, chat: dict[str, Any], message_id: Any) -> dict[str, Any] | None:
        record = chat["messages"].get(str(message_id))
        return None if record is None or record["deleted"] else record

    def topic(self, chat: dict[str, Any], thread_id: int) -> dict[str, Any] | None:
        topic = chat["topics"].get(str(thread_id))
        return None if topic is None or topic["deleted"] else topic

    # files --------------------------------------------------------------------------------------
    def new_file_id(self, kind: str) -> tuple[str, str]:
        """A fresh (file_id, file_unique_id); shaped like Telegram's opaque ids, numbered to stay unique."""
        number = self.data["next_file_number"]
        self.data["next_file_number"] += 1
        unique = f"AQAD{number:06d}"
        return f"{kind[:2].upper()}ACAgQAAxkBAAI{number:08d}{os.urandom(6).hex()}", unique

    def register_file(self, file_id: str | None, kind: str, **meta: Any) -> dict[str, Any]:
        if file_id is None:
            file_id, unique = self.new_file_id(kind)
        else:
            unique = self.data["files"].get(file_id, {}).get("file_unique_id") or self.new_file_id(kind)[1]
        info = {"type": kind, "file_id": file_id, "file_unique_id": unique, **meta}
        self.data["files"][file_id] = info
        return info

    # updates ------------------------------------------------------------------------------------
    def push_update(self, kind: str, payload: dict[str, Any]) -> None:
        allowed = self.data["allowed_updates"]
        if allowed and kind not in allowed:
            return  # Telegram does not create updates of types the bot opted out of
        update_id = self.data["next_update_id"]
        self.data["next_update_id"] += 1
        self.data["updates"].append({"update_id": update_id, kind: payload})
        self.queued_at[update_id] = time.monotonic()
        self.stats.updates_queued += 1
        self.wake()

    def acknowledge(self, offset: int | None) -> None:
        """getUpdates' offset: confirm the updates before it (or keep only the last -offset)."""
        updates = self.data["updates"]
        if offset is None:
            return
        if offset < 0:
            kept = updates[offset:]  # "the last -offset updates", the rest forgotten
            self.stats.updates_dropped += len(updates) - len(kept)
            for update in updates[: len(updates) - len(kept)]:
                self.queued_at.pop(update["update_id"], None)
        else:
            # The queue is ordered by update_id, so the confirmed ones are a prefix.
            kept = updates[bisect.bisect_left(updates, offset, key=lambda update: update["update_id"]) :]
            self.stats.updates_delivered += len(updates) - len(kept)
            for update in updates[: len(updates) - len(kept)]:
                self._delivered(update["update_id"])
        if len(kept) != len(updates):
            self.data["updates"] = kept
            self.queue_epoch += 1

    def drop_updates(self) -> None:
        """drop_pending_updates: forget the queue unacknowledged."""
        self.stats.updates_dropped += len(self.data["updates"])
        self.data["updates"] = []
        self.queued_at.clear()
        self.queue_epoch += 1

    def _index(self, update_id: int) -> int | None:
        updates = self.data["updates"]
        at = bisect.bisect_left(updates, update_id, key=lambda update: update["update_id"])
        return at if at < len(updates) and updates[at]["update_id"] == update_id else None

    def find_update(self, update_id: int) -> dict[str, Any] | None:
        at = self._index(update_id)
        return None if at is None else self.data["updates"][at]

    def remove_update(self, update_id: int) -> bool:
        """A webhook acknowledged this update; False if it had already left the queue."""
        at = self._index(update_id)
        if at is None:
            return False
        del self.data["updates"][at]
        self.stats.updates_delivered += 1
        self._delivered(update_id)
        return True

    def _delivered(self, update_id: int) -> None:
        queued = self.queued_at.pop(update_id, None)
        if queued is not None:
            self.stats.delivery_seconds.append(time.monotonic() - queued)

    def pollable(self, limit: int) -> list[dict[str, Any]]:
        """What getUpdates may hand out: the queue, less what a webhook delivery has in flight."""
        updates = self.data["updates"]
        if not self.in_flight:
            return updates[:limit]
        return [u for u in updates if u["update_id"] not in self.in_flight][:limit]

    def add_listener(self, listener: Callable[[], None]) -> None:
        """Called on every wake(), e.g. to let the webhook delivery look at the queue again."""
        self._listeners.append(listener)

    def wake(self) -> None:
        """Release every waiting long poll (and the webhook delivery) so it looks again."""
        self._wakeup.set()
        self._wakeup = asyncio.Event()
        for listener in self._listeners:
            listener()

    async def wait(self, seconds: float) -> None:
        # A timeout just means nothing new: the poller then answers with what it has.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wakeup.wait(), timeout=seconds)

    # callbacks ----------------------------------------------------------------------------------
    def add_callback(self, callback_id: str, chat_id: int, message_id: int) -> None:
        callbacks = self.data["callbacks"]
        callbacks[callback_id] = {"chat_id": chat_id, "message_id": message_id, "answered": False}
        while len(callbacks) > _MAX_CALLBACKS:
            callbacks.pop(next(iter(callbacks)))


# The app's handle on its state, for the test API and for tests of the bot.
STANDIN_KEY = web.AppKey("standin_state", StandinState)
