"""A lease in the database: among several instances, one does a scheduled job per interval.

Taking the lease is one INSERT ... ON CONFLICT DO UPDATE ... WHERE the old lease expired (or is
ours), so it is atomic on SQLite and PostgreSQL alike."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Lease
from storage.upsert import insert_for


async def try_acquire(session: AsyncSession, name: str, holder: str, now: dt.datetime, ttl: dt.timedelta) -> bool:
    stmt = insert_for(session, Lease).values(name=name, holder=holder, expires_at=now + ttl)
    stmt = stmt.on_conflict_do_update(
        index_elements=[Lease.name],
        set_={"holder": holder, "expires_at": now + ttl},
        where=or_(Lease.expires_at <= now, Lease.holder == holder),
    )
    result = await session.execute(stmt)
    return bool(result.rowcount)  # type: ignore[attr-defined]
