"""One update at a time per chat across instances: aiogram's per-chat Redis lock, renewed while the
update is handled.

The lock expires a few seconds after its holder stops renewing it, so a chat is not stuck for long
behind an instance that died. aiogram's own `RedisEventIsolation` takes it once with a fixed expiry:
an update slower than that (a 429 backoff from a busy counsellors' group, or 5xx retries) lost the
lock while still working. The chat's next update then ran beside it, and releasing the lost lock
raised `LockNotOwnedError` -- a Redis error, so the webhook answered 503 for finished work, or hid the
update's real error and had Telegram redeliver (and repeat) it. Imported only with Redis configured;
used by the composition root (bot/app.py) when tuning is on and the libraries are the ones it was
checked with, aiogram's own lock otherwise.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager

from aiogram.fsm.storage.base import KeyBuilder, StorageKey
from aiogram.fsm.storage.redis import RedisEventIsolation
from redis.asyncio import Redis
from redis.asyncio.lock import Lock
from redis.exceptions import LockError, RedisError

from bot.versions import checked_with

CHECKED_WITH = {"aiogram": ("3.31",), "redis": ("8.1",)}

log = logging.getLogger(__name__)


class RenewedChatLock(RedisEventIsolation):
    def __init__(self, *args: object, expiry: float, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.expiry = expiry

    @asynccontextmanager
    async def lock(self, key: StorageKey) -> AsyncGenerator[None, None]:
        lock = self.redis.lock(name=self.key_builder.build(key, "lock"), timeout=self.expiry, lock_class=Lock)
        await lock.acquire()
        renewing = asyncio.create_task(self._renew(lock))
        try:
            yield
        finally:
            renewing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewing
            try:
                await lock.release()
            except LockError:  # expired all the same (Redis unreachable meanwhile): the work is done
                log.warning("a chat's lock had expired before its update was done")

    async def _renew(self, lock: Lock) -> None:
        while True:
            await asyncio.sleep(self.expiry / 3)
            try:
                await lock.reacquire()
            except (LockError, RedisError):
                log.warning("a chat's lock could not be renewed")
                return


def chat_lock(redis: Redis, expiry: float, key_builder: KeyBuilder, *, renewed: bool = True) -> RedisEventIsolation:
    """The renewed lock; aiogram's own when not `renewed` (tuning off) or with libraries it was not
    checked with. Either way keys come from `key_builder` (never aiogram's default, which writes ids)."""
    if renewed and checked_with("renewed Redis chat lock", CHECKED_WITH):
        return RenewedChatLock(redis, key_builder=key_builder, expiry=expiry)
    return RedisEventIsolation(redis, key_builder=key_builder)
