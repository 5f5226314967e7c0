"""Aggregate counts for reports: a metric per day, language, topic and bucket. No pseudonyms."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import DailyCount
from storage.upsert import insert_for


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
    values = {"day": day or dt.date.today(), "metric": metric, "language": language or "", "topic": topic or "",
              "bucket": bucket or "", "count": amount}
    stmt = insert_for(session, DailyCount).values(**values)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=["day", "metric", "language", "topic", "bucket"],
            set_={"count": DailyCount.count + amount},
        )
    )


async def rows_between(session: AsyncSession, first: dt.date, last: dt.date) -> list[DailyCount]:
    from sqlalchemy import select

    return list((await session.execute(
        select(DailyCount).where(DailyCount.day >= first, DailyCount.day <= last)
        .order_by(DailyCount.day, DailyCount.metric, DailyCount.language, DailyCount.topic, DailyCount.bucket)
    )).scalars())
