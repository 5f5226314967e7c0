"""Redis keys that name a chat without its Telegram ids.

aiogram's `DefaultKeyBuilder` writes `fsm:<chat_id>:<user_id>:lock`: every update would leave the
person's plain id in Redis, and in its append-only file or snapshot if persistence is on. This builder
uses aiogram's public `KeyBuilder` seam to replace the ids with a keyed hash, so a key still names
one chat (the lock works across instances sharing the secret) but cannot be linked to a person
without the installation secret.
"""

from __future__ import annotations

from typing import Literal

from aiogram.fsm.storage.base import KeyBuilder, StorageKey

from storage.secrets import Pseudonymizer


class PseudonymousKeyBuilder(KeyBuilder):
    def __init__(self, pseudonyms: Pseudonymizer, *, prefix: str = "vraagbaak") -> None:
        self._pseudonyms = pseudonyms
        self._prefix = prefix

    def build(self, key: StorageKey, part: Literal["data", "state", "lock"] | None = None) -> str:
        scope = ":".join(str(v) for v in (key.bot_id, key.business_connection_id or "", key.chat_id,
                                          key.thread_id or "", key.user_id, key.destiny))
        parts = [self._prefix, self._pseudonyms.token("redis-key", scope)]
        if part:
            parts.append(part)
        return ":".join(parts)
