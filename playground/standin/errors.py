"""Bot API errors, worded and numbered as Telegram answers them."""

from __future__ import annotations

from typing import Any


class BotAPIError(Exception):
    """Raised by a method handler; becomes `{"ok": false, "error_code": ..., "description": ...}`."""

    def __init__(self, code: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": False, "error_code": self.code, "description": self.description}
        if self.retry_after is not None:
            # aiogram reads parameters.retry_after to raise TelegramRetryAfter.
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(reason: str) -> BotAPIError:
    return BotAPIError(400, f"Bad Request: {reason}")


def forbidden(reason: str) -> BotAPIError:
    return BotAPIError(403, f"Forbidden: {reason}")


def conflict(reason: str) -> BotAPIError:
    return BotAPIError(409, f"Conflict: {reason}")


UNAUTHORIZED = BotAPIError(401, "Unauthorized")
NOT_FOUND = BotAPIError(404, "Not Found")

# Descriptions Telegram (or the proxy in front of it) gives for the codes fault injection may ask for.
FAULT_DESCRIPTIONS = {
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


def fault_error(code: int, retry_after: int) -> BotAPIError:
    if code == 429:
        return BotAPIError(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)
    return BotAPIError(code, FAULT_DESCRIPTIONS.get(code, "Internal Server Error"))
