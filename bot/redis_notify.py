"""With Redis, instances tell each other at once that the knowledge base changed (pub/sub).
Without it they still notice within seconds by polling the database (knowledge/sync.py)."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from redis.asyncio import Redis
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

    from knowledge.engine import KnowledgeHolder

log = logging.getLogger(__name__)
CHANNEL = "vraagbaak:knowledge-changed"


async def announce_change(redis: Redis) -> None:
    await redis.publish(CHANNEL, b"1")


async def listen_for_changes(redis: Redis, holder: KnowledgeHolder,
                             sessions: async_sessionmaker[AsyncSession]) -> None:
    from knowledge import sync
    from storage.outages import is_infrastructure_error

    while True:
        try:
            async with redis.pubsub() as pubsub:
                await pubsub.subscribe(CHANNEL)
                async for message in pubsub.listen():
                    if message.get("type") == "message":
                        await sync.refresh(holder, sessions)
        except Exception as exc:  # Redis restarting, or the database down during a refresh:
            # listen again shortly (the loop must outlive both)
            log.warning("knowledge notices: %s; retrying", type(exc).__name__,
                        exc_info=not is_infrastructure_error(exc))
            await asyncio.sleep(1.0)
