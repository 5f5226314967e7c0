"""Fault injection for tests of the bot's retry logic.

A rule either fails the next `count` matching calls, or, with `every`, every Nth matching call until
it is cleared (or, if a count was given too, until it has failed `count` times), so load can run
with intermittent 429/5xx. A 429 always carries parameters.retry_after.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from playground.standin.errors import BotAPIError, fault_error


@dataclass
class Fault:
    method: str | None
    code: int
    count: int | None  # failures left; None: no limit (only with `every`)
    retry_after: int
    every: int | None = None
    seen: int = 0  # matching calls so far (for `every`)

    def matches(self, method: str) -> bool:
        return self.method in (None, method)

    @property
    def spent(self) -> bool:
        return self.count is not None and self.count <= 0


@dataclass
class Faults:
    """Injected failures, looked at in the order they were added; the first that fires wins."""

    rules: list[Fault] = field(default_factory=list)

    def add(
        self, method: str | None, code: int, count: int | None, retry_after: int, every: int | None = None
    ) -> None:
        if every is None and count is None:
            count = 1
        self.rules.append(Fault(method.lower() if method else None, code, count, retry_after, every))

    def clear(self) -> None:
        self.rules.clear()

    def take(self, method: str) -> BotAPIError | None:
        method = method.lower()
        fired: Fault | None = None
        for rule in self.rules:
            if rule.spent or not rule.matches(method):
                continue
            if rule.every is not None:
                # Every matching call counts for every `every` rule, so "every Nth" stays exact.
                rule.seen += 1
                hit = rule.seen % rule.every == 0
            else:
                hit = True
            if hit and fired is None:
                fired = rule
        if fired is None:
            return None
        if fired.count is not None:
            fired.count -= 1
        self.rules = [rule for rule in self.rules if not rule.spent]
        return fault_error(fired.code, fired.retry_after)
