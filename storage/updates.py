"""Remember handled update ids so that an update Telegram delivers twice is handled once."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.direct import Direct
from storage.models import ProcessedUpdate
from storage.upsert import prebuilt

# Both run on every update (see storage/direct.py).
_CLAIM = Direct(prebuilt(lambda insert: insert(ProcessedUpdate).values(update_id=bindparam("update_id"))
                         .on_conflict_do_nothing()))
_HANDLED = Direct(select(ProcessedUpdate.update_id).where(ProcessedUpdate.update_id == bindparam("update_id")))


async def claim_update(session: AsyncSession, update_id: int) -> bool:
    """True the first time an update id is seen (the caller handles it), False on a redelivery."""
    return bool(await _CLAIM.run(session, {"update_id": update_id}))


async def handled_already(session: AsyncSession, update_id: int) -> bool:
    return await _HANDLED.first(session, {"update_id": update_id}) is not None


async def purge_processed(session: AsyncSession, before: dt.datetime, limit: int) -> int:
    """Forget up to `limit` update ids handled before `before` (the caller commits and calls again)."""
    oldest = select(ProcessedUpdate.update_id).where(ProcessedUpdate.processed_at < before).limit(limit)
    stmt = delete(ProcessedUpdate).where(ProcessedUpdate.update_id.in_(oldest.scalar_subquery()))
    result = await session.execute(stmt)
    return result.rowcount or 0  # type: ignore[attr-defined]
