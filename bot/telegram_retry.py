"""Telegram errors that pass: 429 waits `retry_after` and tries again, 5xx and network errors retry
with backoff. A request middleware on the bot's session, so every call — answers, relays, topic
creation — gets the same treatment. 403 (blocked) and 400 are not retried: they will not get
better. Every error is counted by code for /metrics."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramAPIError, TelegramNetworkError, TelegramRetryAfter, TelegramServerError
from aiogram.methods import TelegramMethod
from aiogram.methods.base import Response, TelegramType

from bot.admission import turn_given_up
from bot.metrics import TELEGRAM_ERRORS

log = logging.getLogger(__name__)

_CODES = {
    "TelegramRetryAfter": "429", "TelegramForbiddenError": "403", "TelegramBadRequest": "400",
    "TelegramNotFound": "404", "TelegramConflictError": "409", "TelegramUnauthorizedError": "401",
    "TelegramEntityTooLarge": "413", "TelegramServerError": "5xx", "TelegramNetworkError": "network",
}


class RetryMiddleware(BaseRequestMiddleware):
    def __init__(self, attempts: int = 5, base_delay: float = 0.5, max_delay: float = 30.0) -> None:
        self.attempts = attempts
        self.base_delay = base_delay
        self.max_delay = max_delay

    async def __call__(
        self, make_request: NextRequestMiddlewareType[TelegramType], bot: Any, method: TelegramMethod[TelegramType]
    ) -> Response[TelegramType]:
        name = type(method).__name__
        for attempt in range(1, self.attempts + 1):
            try:
                return await make_request(bot, method)
            except TelegramAPIError as exc:
                TELEGRAM_ERRORS.labels(code=_CODES.get(type(exc).__name__, "other")).inc()
                retryable = isinstance(exc, TelegramRetryAfter | TelegramServerError | TelegramNetworkError)
                if not retryable or attempt == self.attempts:
                    raise
                if isinstance(exc, TelegramRetryAfter):
                    delay = min(float(exc.retry_after), self.max_delay * 4)
                else:
                    delay = min(self.base_delay * 2 ** (attempt - 1), self.max_delay)
                log.warning("telegram %s on %s; retry %d in %.1fs", _CODES.get(type(exc).__name__), name, attempt, delay)
                async with turn_given_up():  # other updates go on meanwhile (bot/admission.py)
                    await asyncio.sleep(delay)
        raise AssertionError("unreachable")
