"""Aggregate counts for reports: a metric per day, language, topic and bucket. No pseudonyms."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import bindparam
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import DailyCount
from storage.upsert import prebuilt

_PENDING = "pending_counts"


async def count(
    session: AsyncSession,
    metric: str,
    *,
    language: str = "",
    topic: str = "",
    bucket: str = "",
    day: dt.date | None = None,
    amount: int = 1,
) -> None:
    """Add to a day's count. Kept on the session and written by `flush` (the update's last step),
    so that counting takes no database lock in the middle of handling."""
    key = (day or dt.date.today(), metric, language or "", topic or "", bucket or "")
    pending: dict[tuple[dt.date, str, str, str, str], int] = session.info.setdefault(_PENDING, {})
    pending[key] = pending.get(key, 0) + amount


def _add_to_count(insert):  # type: ignore[no-untyped-def]
    stmt = insert(DailyCount).values(day=bindparam("day"), metric=bindparam("metric"),
                                     language=bindparam("language"), topic=bindparam("topic"),
                                     bucket=bindparam("bucket"), count=bindparam("amount"))
    return stmt.on_conflict_do_update(index_elements=["day", "metric", "language", "topic", "bucket"],
                                      set_={"count": DailyCount.count + stmt.excluded.count})


_ADD_TO_COUNT = prebuilt(_add_to_count)


async def flush(session: AsyncSession) -> None:
    pending = session.info.pop(_PENDING, {})
    if not pending:
        return
    rows = [{"day": day, "metric": metric, "language": language, "topic": topic, "bucket": bucket, "amount": amount}
            for (day, metric, language, topic, bucket), amount in pending.items()]
    await (await session.connection()).execute(_ADD_TO_COUNT(session), rows)  # Core: one statement, many rows


async def rows_between(session: AsyncSession, first: dt.date, last: dt.date) -> list[DailyCount]:
    from sqlalchemy import select

    return list((await session.execute(
        select(DailyCount).where(DailyCount.day >= first, DailyCount.day <= last)
        .order_by(DailyCount.day, DailyCount.metric, DailyCount.language, DailyCount.topic, DailyCount.bucket)
    )).scalars())
