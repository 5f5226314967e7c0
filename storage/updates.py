"""Remember handled update ids so that an update Telegram delivers twice is handled once."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ProcessedUpdate
from storage.upsert import insert_for


async def claim_update(session: AsyncSession, update_id: int) -> bool:
    """True the first time an update id is seen (the caller handles it), False on a redelivery."""
    stmt = insert_for(session, ProcessedUpdate).values(update_id=update_id).on_conflict_do_nothing()
    result = await session.execute(stmt)
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def handled_already(session: AsyncSession, update_id: int) -> bool:
    return await session.scalar(select(ProcessedUpdate.update_id).where(ProcessedUpdate.update_id == update_id)) \
        is not None


async def purge_processed(session: AsyncSession, before: dt.datetime) -> int:
    result = await session.execute(delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < before))
    return result.rowcount or 0  # type: ignore[attr-defined]
