"""One update at a time per chat, and aiogram's per-chat state, kept in memory only while needed.

Without Redis, aiogram's own `SimpleEventIsolation` keeps a lock for every chat it has ever seen and
its `MemoryStorage` a record for every chat whose state was read (aiogram reads it on every update,
creating the record). Neither is ever dropped: measured here, ~0.5 KB per chat, so a bot that meets
100,000 people would grow by ~50 MB and keep their chat ids in memory until it restarts. These drop
a chat's lock once no update holds or waits for it, and never create an empty record.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Awaitable, Callable, Hashable, Mapping
from contextlib import asynccontextmanager
from copy import copy
from typing import Any

from aiogram import Dispatcher
from aiogram.fsm.middleware import FSMContextMiddleware
from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseEventIsolation, StateType, StorageKey
from aiogram.fsm.storage.memory import MemoryStorage, MemoryStorageRecord
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


class ChatStateInMemory(MemoryStorage):
    """aiogram's MemoryStorage, holding a chat's record only while it has a state or data."""

    async def get_state(self, key: StorageKey) -> str | None:
        record = self.storage.get(key)
        return record.state if record is not None else None

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        record = self.storage.get(key)
        return record.data.copy() if record is not None else {}

    async def get_value(self, storage_key: StorageKey, dict_key: str, default: Any | None = None) -> Any | None:
        return copy((await self.get_data(storage_key)).get(dict_key, default))

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        record = self.storage.get(key) or MemoryStorageRecord()
        record.state = state.state if isinstance(state, State) else state
        self._keep(key, record)

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await super().set_data(key, data)
        self._keep(key, self.storage[key])

    def _keep(self, key: StorageKey, record: MemoryStorageRecord) -> None:
        if record.state is None and not record.data:
            self.storage.pop(key, None)
        else:
            self.storage[key] = record


class StateReadWhenAsked(FSMContextMiddleware):
    """aiogram's FSM middleware, without reading every update's FSM state up front.

    aiogram reads the state (`raw_state`) before any handler runs, for `StateFilter`s; with Redis that
    is a round trip on every update. Vraagbaak's flows keep no FSM state and filter on none
    (tests/test_chat_state.py checks), so a handler that wants it asks its `state` (FSMContext),
    which reads it then. The per-chat lock is taken exactly as aiogram does."""

    async def __call__(self, handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
                       event: TelegramObject, data: dict[str, Any]) -> Any:
        context = self.resolve_event_context(data["bot"], data)
        data["fsm_storage"] = self.storage
        if context is None:
            return await handler(event, data)
        async with self.events_isolation.lock(key=context.key):
            data["state"] = context
            return await handler(event, data)


def use_lazy_state(dp: Dispatcher) -> None:
    """Put `StateReadWhenAsked` where aiogram's FSM middleware would be: `dp` must be built with
    `disable_fsm=True` and before any other outer middleware is added."""
    fsm = dp.fsm
    dp.fsm = StateReadWhenAsked(fsm.storage, fsm.events_isolation, fsm.strategy)
    dp.update.outer_middleware(dp.fsm)
