"""Prometheus metrics (`/metrics`): updates handled, answers vs no-answers, handoffs waiting,
waiting times, Telegram errors by code. Counts only — no ids, no text."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

REGISTRY = CollectorRegistry(auto_describe=True)

UPDATES = Counter("vraagbaak_updates", "Telegram updates handled", ["type"], registry=REGISTRY)
UPDATE_SECONDS = Histogram("vraagbaak_update_seconds", "Time to handle one update", registry=REGISTRY,
                           buckets=(0.001, 0.002, 0.003, 0.004, 0.005, 0.0075, 0.01, 0.0125, 0.015, 0.02, 0.025,
                                    0.03, 0.04, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 2.5, 5))
ANSWERS = Counter("vraagbaak_answers", "Free-text questions by result", ["result"], registry=REGISTRY)
HANDOFFS_WAITING = Gauge("vraagbaak_handoffs_waiting", "Conversations waiting for a counsellor", registry=REGISTRY)
HANDOFFS_CLAIMED = Gauge("vraagbaak_handoffs_claimed", "Conversations with a counsellor", registry=REGISTRY)
WAIT_SECONDS = Histogram("vraagbaak_handoff_wait_seconds", "Wait from /talk to a counsellor's claim",
                         registry=REGISTRY, buckets=(60, 300, 900, 1800, 3600, 4 * 3600, 24 * 3600))
OUTBOUND_WAITING = Gauge("vraagbaak_outbound_waiting", "Calls waiting for a group's Telegram budget", ["group"],
                         registry=REGISTRY)
OUTBOUND_OLDEST_SECONDS = Gauge("vraagbaak_outbound_oldest_seconds",
                                "How long the oldest call waiting for a group's budget has waited", ["group"],
                                registry=REGISTRY)
TELEGRAM_ERRORS = Counter("vraagbaak_telegram_errors", "Errors answered by the Bot API", ["code"], registry=REGISTRY)


def exposition() -> bytes:
    return generate_latest(REGISTRY)


class UpdateMetrics(BaseMiddleware):
    """Outer middleware on updates: counts them by type and times their handling."""

    async def __call__(self, handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
                       event: TelegramObject, data: dict[str, Any]) -> Any:
        start = time.perf_counter()
        try:
            return await handler(event, data)
        finally:
            kind = event.event_type if isinstance(event, Update) else type(event).__name__
            UPDATES.labels(type=kind).inc()
            UPDATE_SECONDS.observe(time.perf_counter() - start)
