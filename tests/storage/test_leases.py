"""The purge runs once per interval however many instances there are."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy.ext.asyncio import AsyncEngine

from storage.database import session_factory
from storage.leases import try_acquire

T0 = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
TTL = dt.timedelta(seconds=60)


async def test_one_of_several_instances_gets_the_lease(db_engine: AsyncEngine) -> None:
    sessions = session_factory(db_engine)

    async def attempt(holder: str) -> bool:
        async with sessions() as session:
            won = await try_acquire(session, "purge", holder, T0, TTL)
            await session.commit()
            return won

    results = await asyncio.gather(*(attempt(f"instance-{i}") for i in range(4)))
    assert sorted(results) == [False, False, False, True]


async def test_the_lease_passes_on_when_it_expires_and_the_holder_may_renew(db_engine: AsyncEngine) -> None:
    async with session_factory(db_engine)() as session:
        assert await try_acquire(session, "purge", "a", T0, TTL)
        assert not await try_acquire(session, "purge", "b", T0 + TTL / 2, TTL)
        assert await try_acquire(session, "purge", "a", T0 + TTL / 2, TTL), "the holder renews"
        assert await try_acquire(session, "purge", "b", T0 + TTL * 2, TTL), "expired: another takes it"
        await session.commit()
