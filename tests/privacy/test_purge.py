"""The purge deletes what /privacy says it deletes, when it says so: ended conversations with their
topics in the counsellors' group, an ended conversation's chat id at once, people gone silent."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import Settings
from handoff.purge import TOPIC_TRIES_FOR, Retention, purge_once
from playground.runner import Playground
from storage import conversations, people
from storage.conversations import CHAT_ID_AFTER_CLOSE
from storage.database import session_factory
from storage.models import Conversation, Person
from tests.e2e.client import Person as TelegramUser
from tests.e2e.client import PlaygroundClient
from tests.e2e.handoff_steps import group_id, open_topic

T0 = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
GRACE = dt.timedelta(hours=24)


async def _closed(engine: AsyncEngine, person: str, thread_id: int) -> int:
    async with session_factory(engine)() as session:
        conv = await conversations.create(
            session,
            alias="Guest TEST",
            person=person * 64,
            chat_cipher=b"cipher",
            language="nl",
            topic="",
            crisis=False,
            now=T0,
        )
        conv.thread_id = thread_id
        conv.counsellor_name_cipher = b"name"
        await session.flush()
        assert await conversations.close(session, conv.id, T0, GRACE)
        await session.commit()
        return conv.id


class Topics:
    """Stands in for Desk.delete_topic: records what it was asked to delete."""

    def __init__(self, accept: bool = True) -> None:
        self.accept = accept
        self.deleted: list[int | None] = []

    async def __call__(self, thread_id: int | None) -> bool:
        self.deleted.append(thread_id)
        return self.accept


async def test_an_ended_conversation_loses_its_chat_id_at_once_and_its_topic_after_the_grace(
    db_engine: AsyncEngine,
) -> None:
    conv_id = await _closed(db_engine, "a", thread_id=77)
    sessions = session_factory(db_engine)
    topics = Topics()
    await purge_once(sessions, now=T0 + CHAT_ID_AFTER_CLOSE, delete_topic=topics)
    async with sessions() as session:
        row = await session.get(Conversation, conv_id)
        assert row is not None and row.chat_cipher is None and row.counsellor_name_cipher is None
    assert topics.deleted == [], "the topic stays for the grace period"
    assert await purge_once(sessions, now=T0 + GRACE, delete_topic=topics, engine=db_engine) == 1
    assert topics.deleted == [77]
    async with sessions() as session:
        assert await session.get(Conversation, conv_id) is None


async def test_a_topic_telegram_will_not_delete_keeps_its_row_only_for_a_while(
    db_engine: AsyncEngine,
) -> None:
    conv_id = await _closed(db_engine, "b", thread_id=78)
    sessions = session_factory(db_engine)
    refusing = Topics(accept=False)
    assert await purge_once(sessions, now=T0 + GRACE, delete_topic=refusing) == 0, "tried again next round"
    assert await purge_once(sessions, now=T0 + GRACE + TOPIC_TRIES_FOR, delete_topic=refusing) == 1
    async with sessions() as session:
        assert await session.get(Conversation, conv_id) is None


async def test_people_silent_for_the_retention_period_are_forgotten(db_engine: AsyncEngine) -> None:
    sessions = session_factory(db_engine)
    retention = Retention(people=dt.timedelta(days=90))
    async with sessions() as session:
        await people.set_language(session, "s" * 64, "fr")
        await people.set_language(session, "r" * 64, "nl")
        silent = await session.get(Person, "s" * 64)
        assert silent is not None
        silent.last_seen_on = (T0 - dt.timedelta(days=91)).date()
        recent = await session.get(Person, "r" * 64)
        assert recent is not None
        recent.last_seen_on = (T0 - dt.timedelta(days=89)).date()
        await session.commit()
    await purge_once(sessions, now=T0, retention=retention, engine=db_engine)
    async with sessions() as session:
        assert await people.get_language(session, "s" * 64) is None
        assert await people.get_language(session, "r" * 64) == "nl"


async def test_the_running_bot_deletes_an_ended_conversations_topic(
    settings: Settings, tmp_path: Path
) -> None:
    """Through the runner's own purge loop: the topic goes once the grace period is over."""
    settings = settings.model_copy(update={"conversation_grace_hours": 0, "purge_interval_seconds": 5})
    pg = Playground(settings, tmp_path / "pg", port=0)
    await pg.start()
    try:
        async with PlaygroundClient(pg.url) as client:
            person = TelegramUser(id=410001)
            topic = await open_topic(client, person)
            await client.reply_to(person, "/end")
            gid = await group_id(client)
            deadline = asyncio.get_running_loop().time() + 15
            while any(t["thread_id"] == topic["thread_id"] for t in (await client.chat(gid))["topics"]):
                assert asyncio.get_running_loop().time() < deadline, "the purge deleted the topic"
                await asyncio.sleep(0.2)
    finally:
        await pg.stop()
