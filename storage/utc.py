"""Every time the database keeps is UTC, and comes back as an aware datetime from every engine.

SQLite keeps no time zone: with a plain `DateTime(timezone=True)` SQLAlchemy gives naive datetimes
back there (PostgreSQL gives aware ones), and writes an aware datetime's wall-clock time as it is, so
a Brussels time would be stored an hour or two off. `UTCDateTime` converts on the way in and marks
UTC on the way out, so no caller has to know which engine it runs on.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[dt.datetime]):
    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.astimezone(dt.UTC) if value.tzinfo else value.replace(tzinfo=dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value
