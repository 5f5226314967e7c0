"""Opening hours: "24:00" is open to the very end of the day, shown as written; the zone's place name."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from bot.opening_hours import WEEKDAYS, OpeningHours, parse_spans

BRUSSELS = ZoneInfo("Europe/Brussels")


def _hours(week: dict[str, str], timezone: str = "Europe/Brussels") -> OpeningHours:
    return OpeningHours.from_settings(week, [], timezone)


def test_open_until_24_00_includes_the_last_second_of_the_day() -> None:
    hours = _hours({day: "00:00-24:00" for day in WEEKDAYS})
    last_moment = dt.datetime(2026, 11, 23, 23, 59, 59, 500_000, tzinfo=BRUSSELS)
    assert hours.is_open(last_moment)
    assert str(parse_spans("18:00-24:00")[0]) == "18:00–24:00"


def test_hours_follow_local_time_across_the_change_to_summer_time() -> None:
    hours = _hours({"sun": "10:00-12:00"})
    # 29 March 2026: clocks go from 02:00 to 03:00 in Brussels; 10:30 local is 08:30 UTC.
    assert hours.is_open(dt.datetime(2026, 3, 29, 8, 30, tzinfo=dt.UTC))
    assert not hours.is_open(dt.datetime(2026, 3, 29, 10, 30, tzinfo=dt.UTC))  # 12:30 local


def test_the_time_zone_is_named_by_its_place() -> None:
    assert _hours({}).place == "Brussels"
    assert _hours({}, "America/New_York").place == "New York"


def test_at_night_the_next_opening_is_named_and_closed_dates_are_skipped() -> None:
    weekdays = {day: "10:00-17:00" for day in WEEKDAYS[:5]}
    friday_evening = dt.datetime(2026, 12, 11, 18, 0, tzinfo=BRUSSELS)
    availability = _hours(weekdays).availability(friday_evening)
    assert not availability.open
    assert availability.when("nl") == {"day": "maandag", "time": "10:00", "timezone": "Brussels"}
    with_holiday = OpeningHours.from_settings(weekdays, [dt.date(2026, 12, 14)], "Europe/Brussels")
    assert with_holiday.availability(friday_evening).when("en") == {"day": "Tuesday", "time": "10:00",
                                                                   "timezone": "Brussels"}
    assert _hours(weekdays).availability(dt.datetime(2026, 12, 11, 11, 0, tzinfo=BRUSSELS)).when("en") is None
    assert _hours({}).availability(friday_evening).when("en") is None, "no hours planned: no time promised"
