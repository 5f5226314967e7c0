"""What the stand-in knows, kept on disk so a restarted playground shows the same chats.

Everything is plain JSON (string keys), written whole with a temp file and os.replace so a crash
never leaves half a file. The stand-in plays Telegram, so it holds ids, names and texts; it never
logs them. Call log and fault rules live in memory only: they serve one test run.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import pathlib
import time
from collections import deque
from typing import Any

from aiohttp import web

from playground.standin.config import Config
from playground.standin.errors import bad_request
from playground.standin.faults import Faults

STATE_FILE = "standin.json"
STATE_VERSION = 1
_MAX_CALLS = 10_000  # enough for any test; bounded so a long playground session cannot grow forever
_MAX_CALLBACKS = 1_000


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
    }


class StandinState:
    """The stand-in's memory plus the long-poll wake-up; one per app."""

    def __init__(self, state_dir: pathlib.Path, config: Config) -> None:
        self.config = config
        self.path = state_dir / STATE_FILE
        state_dir.mkdir(parents=True, exist_ok=True)
        self.data: dict[str, Any] = self._load()
        self._ensure_counsellor_chat()
        self.faults = Faults()
        self.calls: deque[dict[str, Any]] = deque(maxlen=_MAX_CALLS)
        self.closing = False
        self.poll_generation = 0
        self._wakeup = asyncio.Event()

    # persistence ------------------------------------------------------------------------------
    def _load(self) -> dict[str, Any]:
        if not self.path.exists():
            return _fresh()
        data = json.loads(self.path.read_text(encoding="utf-8"))
        fresh = _fresh()
        fresh.update(data)  # keys added in later versions get their defaults
        return fresh

    def save(self) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.path)

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
        self.wake()

    def acknowledge(self, offset: int | None) -> None:
        updates = self.data["updates"]
        if offset is None:
            return
        if offset < 0:
            self.data["updates"] = updates[offset:]  # "the last -offset updates", the rest forgotten
        else:
            self.data["updates"] = [u for u in updates if u["update_id"] >= offset]

    def wake(self) -> None:
        """Release every waiting long poll so it looks again."""
        self._wakeup.set()
        self._wakeup = asyncio.Event()

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
