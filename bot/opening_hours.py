"""Opening hours per weekday in the configured time zone (Europe/Brussels by default), with closures
(holidays) on top: part of the configuration (bot/config.py reads and checks them)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from babel.dates import format_date

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SPAN = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")
END_OF_DAY = dt.time.max  # "24:00": open to the very end of the day (a span's end is not included)


@dataclass(frozen=True)
class Span:
    start: dt.time
    end: dt.time

    def __str__(self) -> str:
        return f"{self.start:%H:%M}–{'24:00' if self.end == END_OF_DAY else f'{self.end:%H:%M}'}"


def parse_spans(text: str) -> list[Span]:
    """`"10:00-13:00, 14:00-17:00"` → spans; empty text → closed that day."""
    spans: list[Span] = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        match = _SPAN.match(part)
        if not match:
            raise ValueError(f"{part!r} is not like 10:00-17:00")
        h1, m1, h2, m2 = map(int, match.groups())
        end = END_OF_DAY if (h2, m2) == (24, 0) else dt.time(h2, m2)
        start = dt.time(h1, m1)
        if end <= start:
            raise ValueError(f"{part!r} ends before it starts")
        spans.append(Span(start, end))
    return spans


@dataclass(frozen=True)
class OpeningHours:
    week: dict[str, list[Span]]
    closed_dates: frozenset[dt.date]
    timezone: ZoneInfo

    @property
    def place(self) -> str:
        """The time zone as people name it: "Brussels" for Europe/Brussels."""
        return str(self.timezone.key).rsplit("/", 1)[-1].replace("_", " ")

    @classmethod
    def from_settings(cls, week: dict[str, str], closed: list[dt.date], timezone: str) -> OpeningHours:
        return cls(
            {day: parse_spans(week.get(day, "")) for day in WEEKDAYS}, frozenset(closed), ZoneInfo(timezone)
        )

    def is_open(self, now: dt.datetime) -> bool:
        local = now.astimezone(self.timezone)
        if local.date() in self.closed_dates:
            return False
        return any(span.start <= local.time() < span.end for span in self.week[WEEKDAYS[local.weekday()]])

    def next_opening(self, now: dt.datetime) -> dt.datetime | None:
        local = now.astimezone(self.timezone)
        for offset in range(0, 15):
            day = local.date() + dt.timedelta(days=offset)
            if day in self.closed_dates:
                continue
            for span in self.week[WEEKDAYS[day.weekday()]]:
                start = dt.datetime.combine(day, span.start, tzinfo=self.timezone)
                if start > local:
                    return start
        return None

    def availability(self, now: dt.datetime) -> Availability:
        is_open = self.is_open(now)
        return Availability(is_open, None if is_open else self.next_opening(now), self.place)


@dataclass(frozen=True)
class Availability:
    """Whether counsellors are in now and, if not, when they next are: what a person is told about
    when their message will be read."""

    open: bool
    next_opening: dt.datetime | None  # local time; None when open, or when no opening is planned
    place: str  # the time zone as people name it ("Brussels")

    def when(self, lang: str) -> dict[str, str] | None:
        """`{day}`, `{time}` and `{timezone}` for a sentence, the day named in `lang`; None if unknown."""
        if self.next_opening is None:
            return None
        day = format_date(self.next_opening.date(), "EEEE", locale=lang)
        return {"day": day, "time": f"{self.next_opening:%H:%M}", "timezone": self.place}
