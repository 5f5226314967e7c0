"""Fault injection for tests of the bot's retry logic: make the next N matching calls fail."""

from __future__ import annotations

from dataclasses import dataclass, field

from playground.standin.errors import BotAPIError, fault_error


@dataclass
class Fault:
    method: str | None
    code: int
    count: int
    retry_after: int


@dataclass
class Faults:
    """Injected failures: the next `count` matching calls fail with `code`."""

    rules: list[Fault] = field(default_factory=list)

    def add(self, method: str | None, code: int, count: int, retry_after: int) -> None:
        self.rules.append(Fault(method.lower() if method else None, code, count, retry_after))

    def clear(self) -> None:
        self.rules.clear()

    def take(self, method: str) -> BotAPIError | None:
        for rule in self.rules:
            if rule.count > 0 and rule.method in (None, method.lower()):
                rule.count -= 1
                return fault_error(rule.code, rule.retry_after)
        self.rules = [rule for rule in self.rules if rule.count > 0]
        return None
