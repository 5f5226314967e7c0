"""Questions without an answer, kept scrubbed for editors and purged after the retention period."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from knowledge.scrub import scrub
from storage.models import UnansweredQuestion


async def add(session: AsyncSession, text: str, *, lang: str, reason: str, topic: str = "",
              now: dt.datetime | None = None) -> None:
    cleaned = scrub(text)
    if cleaned:
        session.add(UnansweredQuestion(text=cleaned, lang=lang, reason=reason, topic=topic,
                                       created_at=now or dt.datetime.now(dt.UTC)))


async def open_questions(session: AsyncSession, limit: int = 500) -> list[UnansweredQuestion]:
    return list((await session.execute(
        select(UnansweredQuestion).where(UnansweredQuestion.handled_at.is_(None))
        .order_by(UnansweredQuestion.created_at.desc()).limit(limit)
    )).scalars())


async def mark_handled(session: AsyncSession, ids: list[int], now: dt.datetime) -> None:
    await session.execute(update(UnansweredQuestion).where(UnansweredQuestion.id.in_(ids)).values(handled_at=now))


async def purge(session: AsyncSession, before: dt.datetime) -> int:
    result = await session.execute(delete(UnansweredQuestion).where(UnansweredQuestion.created_at < before))
    return result.rowcount or 0  # type: ignore[attr-defined]
