"""One update at a time per chat, the lock kept in memory only while needed.

Without Redis, aiogram's own `SimpleEventIsolation` keeps a lock for every chat it has ever seen,
never dropped: ~0.5 KB per chat, so a bot that meets 100,000 people would grow by ~50 MB and keep
their chat ids in memory until it restarts. `ChatIsolation` drops a chat's lock once no update holds
or waits for it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Awaitable, Callable, Hashable
from contextlib import asynccontextmanager
from typing import Any

from aiogram import BaseMiddleware
from aiogram.fsm.storage.base import BaseEventIsolation, StorageKey
from aiogram.types import TelegramObject


class ChatIsolation(BaseEventIsolation):
    def __init__(self) -> None:
        self._locks: dict[Hashable, tuple[asyncio.Lock, list[int]]] = {}

    @asynccontextmanager
    async def lock(self, key: StorageKey) -> AsyncGenerator[None, None]:
        entry = self._locks.get(key)
        if entry is None:
            entry = self._locks[key] = (asyncio.Lock(), [0])
        lock, users = entry
        users[0] += 1  # holding or waiting
        try:
            async with lock:
                yield
        finally:
            users[0] -= 1
            if not users[0] and self._locks.get(key) is entry:
                del self._locks[key]

    @property
    def chats(self) -> int:
        """Chats with an update being handled or waiting. (Not `__len__`: aiogram takes the
        isolation given `or` its default, and an empty one would then be falsy.)"""
        return len(self._locks)

    async def close(self) -> None:
        """Nothing to release: aiogram calls this at shutdown while updates may still be finishing,
        and each removes its own chat's lock when done."""


class ChatLock(BaseMiddleware):
    """The dispatcher's outermost middleware: an update waits while another of its chat (and sender)
    is handled. The bot keeps no FSM state, so this is the only part of aiogram's FSM middleware
    it needs, with the same key (aiogram's default: a user in a chat)."""

    def __init__(self, isolation: BaseEventIsolation) -> None:
        self.isolation = isolation

    async def __call__(self, handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
                       event: TelegramObject, data: dict[str, Any]) -> Any:
        chat, user = data.get("event_chat"), data.get("event_from_user")
        if chat is None or user is None:
            return await handler(event, data)
        key = StorageKey(bot_id=data["bot"].id, chat_id=chat.id, user_id=user.id)
        async with self.isolation.lock(key):
            return await handler(event, data)
