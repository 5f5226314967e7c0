"""Telegram errors that pass: 429 waits `retry_after` and tries again, 5xx retries with backoff.

A request middleware on the bot's session, so every call — answers, relays, topic creation — gets
the same treatment. 403 (blocked) and 400 are not retried: they will not get better.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter, TelegramServerError
from aiogram.methods import TelegramMethod
from aiogram.methods.base import Response, TelegramType

log = logging.getLogger(__name__)


class RetryMiddleware(BaseRequestMiddleware):
    def __init__(self, attempts: int = 5, base_delay: float = 0.5, max_delay: float = 30.0) -> None:
        self.attempts = attempts
        self.base_delay = base_delay
        self.max_delay = max_delay

    async def __call__(
        self, make_request: NextRequestMiddlewareType[TelegramType], bot: Any, method: TelegramMethod[TelegramType]
    ) -> Response[TelegramType]:
        for attempt in range(1, self.attempts + 1):
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                if attempt == self.attempts:
                    raise
                log.warning("telegram 429 on %s; waiting %ss", type(method).__name__, exc.retry_after)
                await asyncio.sleep(min(exc.retry_after, self.max_delay * 4))
            except (TelegramServerError, TelegramNetworkError) as exc:
                if attempt == self.attempts:
                    raise
                delay = min(self.base_delay * 2 ** (attempt - 1), self.max_delay)
                log.warning("telegram %s on %s; retry in %.1fs", type(exc).__name__, type(method).__name__, delay)
                await asyncio.sleep(delay)
        raise AssertionError("unreachable")
