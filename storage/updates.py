"""Remember handled update ids so that an update Telegram delivers twice is handled once."""

from __future__ import annotations

import datetime as dt
import itertools

from sqlalchemy import bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ProcessedUpdate
from storage.upsert import prebuilt

_CLAIM = prebuilt(lambda insert: insert(ProcessedUpdate).values(update_id=bindparam("update_id"))
                  .on_conflict_do_nothing())
_HANDLED = select(ProcessedUpdate.update_id).where(ProcessedUpdate.update_id == bindparam("update_id"))


async def claim_update(session: AsyncSession, update_id: int) -> bool:
    """True the first time an update id is seen (the caller handles it), False on a redelivery."""
    result = await (await session.connection()).execute(_CLAIM(session), {"update_id": update_id})
    return bool(result.rowcount)


async def handled_already(session: AsyncSession, update_id: int) -> bool:
    return (await session.execute(_HANDLED, {"update_id": update_id})).first() is not None


async def purge_processed(session: AsyncSession, before: dt.datetime, limit: int) -> int:
    """Forget up to `limit` update ids handled before `before`, oldest first (the caller commits and
    calls again). Update ids grow with time, so the oldest come first by id: reading in id order stops
    at the first one still kept. Asking for "handled before" instead had no index to use, and its last
    chunk read the whole week of ids, on the event loop with SQLite, every purge. (After a week without
    updates Telegram may pick the next ids at random; then the older ones wait a week longer.)"""
    rows = (await session.execute(select(ProcessedUpdate.update_id, ProcessedUpdate.processed_at)
                                  .order_by(ProcessedUpdate.update_id).limit(limit))).all()
    old = [update_id for update_id, at in itertools.takewhile(lambda row: row[1] < before, rows)]
    if not old:
        return 0
    result = await session.execute(delete(ProcessedUpdate).where(
        ProcessedUpdate.update_id >= old[0], ProcessedUpdate.update_id <= old[-1],
        ProcessedUpdate.processed_at < before))
    return result.rowcount or 0  # type: ignore[attr-defined]
