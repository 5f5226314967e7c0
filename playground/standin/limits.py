"""Telegram's flood limits, answered as Telegram answers them: 429 with a `retry_after` that says
when the call would pass.

Telegram does not publish exact figures; its FAQ for bot developers says: about one message a second
into one chat (short bursts pass), no more than 20 messages a minute into one group, and about 30
messages a second overall. Each is a token bucket here: a chat's bucket holds a small burst and
refills at that rate, so a bot that keeps to the figures never sees a 429 and one that does not is
told how long to wait. Only calls that put something in a chat count (sending, copying, forwarding,
editing in a group, opening or closing a forum topic); reading, answering a button press, chat
actions and a menu edited in place in a private chat do not.
Off for speed benchmarks (`limits=False`), never for the bot's own tests of how it copes.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from playground.standin.errors import BotAPIError

PRIVATE_PER_SECOND = 1.0
PRIVATE_BURST = 4
GROUP_PER_MINUTE = 20
GLOBAL_PER_SECOND = 30

_COUNTED_PREFIXES = ("send", "copy", "forward", "edit")
_COUNTED = {"createforumtopic", "closeforumtopic", "reopenforumtopic", "deleteforumtopic"}
_NOT_COUNTED = {"sendchataction", "editforumtopic"}  # no message: the title changes in place


def counts_against_limits(method: str, chat_id: int) -> bool:
    name = method.lower()
    if name in _NOT_COUNTED or (name.startswith("edit") and chat_id > 0):
        return False  # menus edited in place in a private chat are not held to the message budget
    return name in _COUNTED or name.startswith(_COUNTED_PREFIXES)


@dataclass
class Bucket:
    capacity: float
    per_second: float
    tokens: float = field(init=False)
    updated: float = field(init=False, default=0.0)

    def __post_init__(self) -> None:
        self.tokens = self.capacity

    def refill(self, now: float) -> None:
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.per_second)
        self.updated = now

    def wait(self) -> float:
        """Seconds until one token is there (0 when there is one now)."""
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.per_second


@dataclass
class TelegramLimits:
    enabled: bool = True
    clock: Callable[[], float] = time.monotonic
    _chats: dict[int, Bucket] = field(default_factory=dict)
    _overall: Bucket = field(default_factory=lambda: Bucket(GLOBAL_PER_SECOND, GLOBAL_PER_SECOND))
    refused: int = 0  # 429s answered, for /api/stats

    def _bucket(self, chat_id: int) -> Bucket:
        if chat_id not in self._chats:
            # Group and supergroup ids are negative in the Bot API.
            self._chats[chat_id] = (Bucket(GROUP_PER_MINUTE, GROUP_PER_MINUTE / 60) if chat_id < 0
                                    else Bucket(PRIVATE_BURST, PRIVATE_PER_SECOND))
        return self._chats[chat_id]

    def take(self, method: str, chat_id: int | None) -> BotAPIError | None:
        """Spend one message of the chat's and the overall budget, or the 429 Telegram would answer."""
        if not self.enabled or chat_id is None or not counts_against_limits(method, chat_id):
            return None
        now = self.clock()
        buckets = [self._overall, self._bucket(chat_id)]
        for bucket in buckets:
            bucket.refill(now)
        wait = max(bucket.wait() for bucket in buckets)
        if wait > 0:
            self.refused += 1
            retry_after = max(1, math.ceil(wait))
            return BotAPIError(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)
        for bucket in buckets:
            bucket.tokens -= 1
        return None
