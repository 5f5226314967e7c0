"""Keep every running instance's knowledge base in step with the editors' revisions.

Each instance checks the revision counter in the database every few seconds and rebuilds its engine
when it moved; the rebuild runs in a worker thread so the bot keeps answering meanwhile. With Redis,
a published notice makes instances check at once (see bot/redis_notify.py).
"""

from __future__ import annotations

import asyncio
import json
import logging
import weakref

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from knowledge.engine import KnowledgeHolder
from knowledge.schema import Translation
from storage import revisions
from storage.models import KnowledgeRevision
from storage.outages import is_infrastructure_error

log = logging.getLogger(__name__)


def to_translation(revision: KnowledgeRevision) -> Translation:
    return Translation(status=revision.status, title=revision.title,  # type: ignore[arg-type]
                       questions=json.loads(revision.questions), answer=revision.answer)


# One rebuild at a time per holder: the periodic check and an editor's save may both rebuild, in
# worker threads that can finish in either order, and the older one must not land last.
_REBUILDING: weakref.WeakKeyDictionary[KnowledgeHolder, asyncio.Lock] = weakref.WeakKeyDictionary()


async def refresh(holder: KnowledgeHolder, sessions: async_sessionmaker[AsyncSession], *, force: bool = False) -> bool:
    """Rebuild the engine if revisions changed since it was built. True if it was rebuilt."""
    async with _REBUILDING.setdefault(holder, asyncio.Lock()):
        async with sessions() as session:
            version = await revisions.version(session)
            if version == holder.version and not force:
                return False
            latest = await revisions.latest(session)
        overrides = {key: to_translation(rev) for key, rev in latest.items()}
        await asyncio.to_thread(holder.apply, overrides, version)
    log.info("knowledge base now at revision %d", version)
    return True


async def refresh_forever(holder: KnowledgeHolder, sessions: async_sessionmaker[AsyncSession], interval: float) -> None:
    while True:
        try:
            await refresh(holder, sessions)
        except Exception as exc:  # e.g. the database unreachable (an OSError, not SQLAlchemy's):
            # the loop must outlive it, or this instance never sees an edit again
            log.warning("knowledge refresh failed: %s", type(exc).__name__,
                        exc_info=not is_infrastructure_error(exc))  # a bug: show where
        await asyncio.sleep(interval)
