"""Queue order and claim races against a real SQLite file and a real PostgreSQL."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import Settings
from handoff.purge import purge_once
from storage import conversations
from storage.database import session_factory

T0 = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


async def _new(engine: AsyncEngine, person: str, *, crisis: bool = False, at: dt.datetime = T0) -> int:
    async with session_factory(engine)() as session:
        conv = await conversations.create(session, alias="Guest TEST", person=person * 64, chat_cipher=b"x",
                                          language="nl", topic="", crisis=crisis, now=at)
        await session.commit()
        return conv.id


async def test_crisis_goes_first_then_the_longest_waiting(db_engine: AsyncEngine) -> None:
    first = await _new(db_engine, "a", at=T0)
    second = await _new(db_engine, "b", at=T0 + dt.timedelta(minutes=1))
    crisis = await _new(db_engine, "c", crisis=True, at=T0 + dt.timedelta(minutes=2))
    async with session_factory(db_engine)() as session:
        order = [c.id for c in await conversations.waiting_in_order(session)]
        assert order == [crisis, first, second]
        conv = await session.get(conversations.Conversation, second)
        assert await conversations.position(session, conv) == 3


async def test_when_two_counsellors_claim_at_once_exactly_one_wins(db_engine: AsyncEngine) -> None:
    for round_ in range(5):
        conv_id = await _new(db_engine, chr(ord("d") + round_))
        sessions = session_factory(db_engine)

        async def attempt(name: str, sessions=sessions, conv_id=conv_id) -> bool:  # type: ignore[no-untyped-def]
            async with sessions() as session:
                won = await conversations.claim(session, conv_id, name * 64, name.encode(), T0)
                await asyncio.sleep(0.01)  # hold the transaction open while the other tries
                await session.commit()
                return won

        results = await asyncio.gather(attempt("s"), attempt("t"), attempt("u"))
        assert sorted(results) == [False, False, True]
        async with sessions() as session:
            conv = await session.get(conversations.Conversation, conv_id)
            assert conv is not None and conv.status == "claimed"
            assert conv.counsellor_name_cipher == ["s", "t", "u"][results.index(True)].encode()


async def test_a_released_conversation_can_be_claimed_again(db_engine: AsyncEngine) -> None:
    conv_id = await _new(db_engine, "r")
    async with session_factory(db_engine)() as session:
        assert await conversations.claim(session, conv_id, "s" * 64, b"Sara", T0)
        assert await conversations.release(session, conv_id, T0)
        assert await conversations.claim(session, conv_id, "t" * 64, b"Tom", T0)
        await session.commit()


async def test_a_counsellor_closes_only_a_waiting_conversation_or_their_own(db_engine: AsyncEngine) -> None:
    """The rule is in the statement: a colleague's claim committed just before a /close counts."""
    grace = dt.timedelta(hours=1)
    waiting = await _new(db_engine, "w")
    claimed = await _new(db_engine, "x")
    async with session_factory(db_engine)() as session:
        assert await conversations.claim(session, claimed, "s" * 64, b"Sara", T0)
        await session.commit()
        assert not await conversations.close(session, claimed, T0, grace, closer="t" * 64)
        assert await conversations.close(session, claimed, T0, grace, closer="s" * 64)
        assert await conversations.close(session, waiting, T0, grace, closer="t" * 64)
        await session.commit()


async def test_the_wait_told_to_people_counts_only_waits_that_began_in_opening_hours(
        db_engine: AsyncEngine, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """A message left on Friday evening and claimed on Monday morning (64 h) says nothing about a
    wait during opening hours; twenty daytime claims of ten minutes do."""
    from bot.i18n import create_i18n
    from handoff import desk as desk_module
    from handoff.access import CounsellorAccess
    from handoff.desk import Desk
    from storage.secrets import Cipher, Pseudonymizer

    weekdays = {d: "09:00-17:00" for d in ("mon", "tue", "wed", "thu", "fri")}
    desk = Desk(settings.model_copy(update={"opening_hours": weekdays}), Cipher(b"k" * 32), Pseudonymizer(b"k" * 32),
                create_i18n("en"), CounsellorAccess(settings))
    monday = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)  # 11:00 in Brussels
    monkeypatch.setattr(desk_module, "now_utc", lambda: monday)
    friday_evening = monday - dt.timedelta(hours=64)
    weekend = await _new(db_engine, "f", at=friday_evening)
    daytime = [await _new(db_engine, chr(ord("g") + i), at=monday - dt.timedelta(hours=1, minutes=i)) for i in range(20)]
    async with session_factory(db_engine)() as session:
        assert await conversations.claim(session, weekend, "s" * 64, b"Sara", monday - dt.timedelta(minutes=5))
        for conv_id, i in zip(daytime, range(20), strict=True):
            queued = monday - dt.timedelta(hours=1, minutes=i)
            assert await conversations.claim(session, conv_id, "s" * 64, b"Sara", queued + dt.timedelta(minutes=10))
        await session.commit()
        assert await desk.estimate_wait(session, 2) == dt.timedelta(minutes=20)


async def test_the_purge_deletes_ended_conversations_after_the_grace_period(db_engine: AsyncEngine) -> None:
    conv_id = await _new(db_engine, "p")
    grace = dt.timedelta(hours=24)
    async with session_factory(db_engine)() as session:
        assert await conversations.close(session, conv_id, T0, grace)
        await session.commit()
    sessions = session_factory(db_engine)
    assert await purge_once(sessions, now=T0 + grace - dt.timedelta(seconds=1)) == 0
    assert await purge_once(sessions, now=T0 + grace) == 1
    async with sessions() as session:
        assert await session.get(conversations.Conversation, conv_id) is None


async def test_an_open_conversation_is_never_purged(db_engine: AsyncEngine) -> None:
    conv_id = await _new(db_engine, "o")
    assert await purge_once(session_factory(db_engine), now=T0 + dt.timedelta(days=365)) == 0
    async with session_factory(db_engine)() as session:
        assert await session.get(conversations.Conversation, conv_id) is not None


async def test_handled_update_ids_are_forgotten_after_a_week_in_chunks(db_engine: AsyncEngine) -> None:
    from sqlalchemy import func, insert, select

    from handoff.purge import PURGE_CHUNK, UPDATE_IDS_KEPT
    from storage.models import ProcessedUpdate

    sessions = session_factory(db_engine)
    old = T0 - UPDATE_IDS_KEPT - dt.timedelta(hours=1)
    async with sessions() as session:
        await session.execute(insert(ProcessedUpdate), [{"update_id": i, "processed_at": old}
                                                        for i in range(2 * PURGE_CHUNK + 7)])
        await session.execute(insert(ProcessedUpdate), [{"update_id": 10**6 + i, "processed_at": T0} for i in range(5)])
        await session.commit()
    await purge_once(sessions, now=T0)
    async with sessions() as session:
        left = (await session.execute(select(func.count(), func.min(ProcessedUpdate.update_id)))).one()
    assert tuple(left) == (5, 10**6)
