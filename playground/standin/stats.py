"""Counters for load tests: what was queued, handed over, called and sent. In memory, like the call log."""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any

# Successful calls of these put a message in a chat or change one: what "the bot sent" counts.
MESSAGE_METHODS = frozenset(
    name.lower()
    for name in (
        "sendMessage",
        "sendPhoto",
        "sendVoice",
        "sendVideo",
        "sendDocument",
        "sendSticker",
        "sendVideoNote",
        "sendAudio",
        "sendAnimation",
        "sendLocation",
        "sendContact",
        "copyMessage",
        "copyMessages",
        "forwardMessage",
        "editMessageText",
        "editMessageCaption",
        "editMessageMedia",
        "editMessageReplyMarkup",
    )
)


DELIVERY_SAMPLES = 100_000


def _quantile_ms(values: list[float], q: float) -> float:
    """The q-quantile by rank (nearest rank), in milliseconds; 0 with no values."""
    if not values:
        return 0.0
    return values[min(len(values) - 1, max(0, round(q * len(values)) - 1))] * 1000


@dataclass
class Stats:
    updates_queued: int = 0  # updates created (by users' actions) since the stand-in started
    updates_delivered: int = 0  # acknowledged by the bot: a 2xx webhook answer or a getUpdates offset
    updates_dropped: int = 0  # dropped unacknowledged (drop_pending_updates, negative offsets)
    webhook_failures: int = 0  # failed webhook attempts (each retry counts)
    calls_total: int = 0
    calls_by_method: Counter[str] = field(default_factory=Counter)
    bot_messages_sent: int = 0  # messages sent, copied, forwarded or edited (copyMessages: each copy)
    calls_in_webhook_answers: int = 0  # methods the bot put in its answer to a delivery (counted in calls_*)
    # Seconds from an update's creation to its acknowledgement, as Telegram would see it: the same
    # measure for any bot (the benchmarks' echo bot has no metrics of its own). Kept for the last
    # DELIVERY_SAMPLES; reset with the rest.
    delivery_seconds: deque[float] = field(default_factory=lambda: deque(maxlen=DELIVERY_SAMPLES))

    def count_call(self, method: str, status: int, result: Any) -> None:
        self.calls_total += 1
        self.calls_by_method[method] += 1
        if status == 200 and method.lower() in MESSAGE_METHODS:
            self.bot_messages_sent += len(result) if isinstance(result, list) else 1

    def as_json(self) -> dict[str, Any]:
        return {
            "updates_queued": self.updates_queued,
            "updates_delivered": self.updates_delivered,
            "updates_dropped": self.updates_dropped,
            "webhook_failures": self.webhook_failures,
            "calls_total": self.calls_total,
            "calls_by_method": dict(self.calls_by_method),
            "calls_in_webhook_answers": self.calls_in_webhook_answers,
            "bot_messages_sent": self.bot_messages_sent,
            **self._delivery_json(),
        }

    def _delivery_json(self) -> dict[str, float]:
        ordered = sorted(self.delivery_seconds)
        return {"delivery_samples": len(ordered), "delivery_p50_ms": _quantile_ms(ordered, 0.5),
                "delivery_p99_ms": _quantile_ms(ordered, 0.99)}
