"""An instance's knowledge base follows the editors' revisions, the newest landing last."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading

from sqlalchemy.ext.asyncio import AsyncEngine

from knowledge import sync
from knowledge.engine import KnowledgeHolder
from storage import revisions
from storage.database import session_factory

TOPIC, LANG = "health.pep", "en"


async def test_an_older_rebuild_finishing_late_does_not_undo_a_newer_one(db_engine: AsyncEngine) -> None:
    sessions = session_factory(db_engine)
    holder = KnowledgeHolder()
    shipped = holder.shipped.translations[TOPIC][LANG]

    async def save(title: str) -> None:
        async with sessions() as session:
            await revisions.save(session, TOPIC, LANG, shipped.model_copy(update={"title": title}), editor="Editor T",
                                 note="", now=dt.datetime.now(dt.UTC),
                                 replaces=await revisions.newest_id(session, TOPIC, LANG))
            await session.commit()

    # The periodic check's rebuild is slow (a big knowledge base, a busy machine): it finishes only
    # after an editor's save has started a rebuild of its own.
    slow_started, slow_done, real_apply, calls = threading.Event(), threading.Event(), holder.apply, []

    def apply(overrides, version):  # type: ignore[no-untyped-def]
        calls.append(version)
        if len(calls) == 1:
            slow_started.set()
            slow_done.wait(10)
        real_apply(overrides, version)

    holder.apply = apply  # type: ignore[method-assign]
    await save("first title")
    periodic = asyncio.create_task(sync.refresh(holder, sessions))
    await asyncio.to_thread(slow_started.wait, 10)
    await save("second title")
    editors = asyncio.create_task(sync.refresh(holder, sessions))
    await asyncio.sleep(0.3)  # the save's rebuild would be done by now, were it not waiting its turn
    slow_done.set()
    await asyncio.gather(periodic, editors)
    assert holder.engine.kb.translations[TOPIC][LANG].title == "second title"
