"""Conversations and the queue. Claims are a single conditional UPDATE, so when two counsellors
press at once exactly one wins, on SQLite and PostgreSQL alike. Repositories never commit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, bindparam, case, delete, func, or_, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Conversation

OPEN = ("waiting", "claimed")
# The same as `status.in_(OPEN)`, but with plain bound values: SQLAlchemy renders an IN list again on
# every execution, which showed in the profile of the statements run for every message.
IS_OPEN = or_(*(Conversation.status == status for status in OPEN))


# The update that closes a conversation still tells the person (their chat id, decrypted): its id goes
# once that update is surely done.
CHAT_ID_AFTER_CLOSE = dt.timedelta(minutes=1)

def queue_order() -> tuple[object, ...]:
    """Crisis first, then the longest waiting."""
    return (case((Conversation.crisis.is_(True), 0), else_=1), Conversation.queued_at, Conversation.id)


# The person's open conversation (at most one); statements made once, as they are asked often.
_PERSONS_OPEN = (Conversation.person == bindparam("person"), IS_OPEN)
_OPEN_FOR_PERSON = select(Conversation).where(*_PERSONS_OPEN).limit(1)


async def open_for_person(session: AsyncSession, person: str) -> Conversation | None:
    return await session.scalar(_OPEN_FOR_PERSON, {"person": person})


@dataclass(frozen=True)
class RelayTarget:
    """Where a person's messages go while their conversation is open: what relaying needs, read
    without loading the conversation (every message they send asks; loading it cost ~0.2 ms)."""

    id: int
    thread_id: int | None


_RELAY_TARGET = select(Conversation.id, Conversation.thread_id).where(*_PERSONS_OPEN).limit(1)


async def relay_target(session: AsyncSession, person: str) -> RelayTarget | None:
    row = (await session.execute(_RELAY_TARGET, {"person": person})).first()
    return RelayTarget(*row) if row is not None else None


_STATE = select(Conversation.status, Conversation.counsellor).where(Conversation.id == bindparam("id"))


async def state_of(session: AsyncSession, conversation_id: int) -> tuple[str, str | None] | None:
    """The conversation's status and claimer (a pseudonym) as committed now; None if it is gone."""
    row = (await session.execute(_STATE, {"id": conversation_id})).first()
    return (row[0], row[1]) if row is not None else None


async def by_thread(session: AsyncSession, thread_id: int) -> Conversation | None:
    return await session.scalar(
        select(Conversation).where(Conversation.thread_id == thread_id).order_by(Conversation.id.desc()).limit(1)
    )


async def create(
    session: AsyncSession, *, alias: str, person: str, chat_cipher: bytes, language: str, topic: str, crisis: bool,
    now: dt.datetime,
) -> Conversation:
    conversation = Conversation(
        alias=alias, person=person, chat_cipher=chat_cipher, language=language, topic=topic, crisis=crisis,
        status="waiting", created_at=now, queued_at=now,
    )
    session.add(conversation)
    await session.flush()
    return conversation


async def claim(
    session: AsyncSession, conversation_id: int, counsellor: str, name_cipher: bytes, now: dt.datetime
) -> bool:
    """True if this counsellor got it; False if someone else was first or it is no longer waiting.
    `counsellor` is their pseudonym and `name_cipher` their first name, encrypted."""
    result = await session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id, Conversation.status == "waiting")
        .values(status="claimed", counsellor=counsellor, counsellor_name_cipher=name_cipher, claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


async def release(session: AsyncSession, conversation_id: int, now: dt.datetime) -> bool:
    result = await session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id, Conversation.status == "claimed")
        .values(status="waiting", counsellor=None, counsellor_name_cipher=None, claimed_at=None, queued_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


async def close(session: AsyncSession, conversation_id: int, now: dt.datetime, grace: dt.timedelta,
                closer: str | None = None) -> bool:
    """`closer`: a counsellor (their token) may close only a waiting conversation or their own, as the
    row is now: a claim by a colleague committed a moment ago counts."""
    mine = or_(Conversation.status == "waiting", Conversation.counsellor == closer) if closer is not None else true()
    result = await session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id, IS_OPEN, mine)
        .values(status="closed", closed_at=now, purge_after=now + grace)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


async def position(session: AsyncSession, conversation: Conversation) -> int:
    """1-based place in the queue of a waiting conversation."""
    waiting = (await session.execute(
        select(Conversation.id).where(Conversation.status == "waiting").order_by(*queue_order())  # type: ignore[arg-type]
    )).scalars().all()
    return waiting.index(conversation.id) + 1 if conversation.id in waiting else 0


async def waiting_in_order(session: AsyncSession) -> list[Conversation]:
    return list((await session.execute(
        select(Conversation).where(Conversation.status == "waiting").order_by(*queue_order())  # type: ignore[arg-type]
    )).scalars())


async def open_in_order(session: AsyncSession) -> list[Conversation]:
    """Every open conversation: the waiting in queue order, then the claimed, longest held first."""
    waiting = await waiting_in_order(session)
    claimed = (await session.execute(
        select(Conversation).where(Conversation.status == "claimed").order_by(Conversation.claimed_at, Conversation.id)
    )).scalars()
    return [*waiting, *claimed]


@dataclass(frozen=True)
class QueueOverview:
    waiting: int
    claimed: int
    crisis_waiting: int
    oldest_wait: dt.timedelta | None


async def overview(session: AsyncSession, now: dt.datetime) -> QueueOverview:
    rows = (await session.execute(
        select(Conversation.status, func.count()).where(IS_OPEN).group_by(Conversation.status)
    )).all()
    counts = {status: number for status, number in rows}
    crisis = await session.scalar(
        select(func.count()).where(and_(Conversation.status == "waiting", Conversation.crisis.is_(True)))
    )
    oldest = await session.scalar(select(func.min(Conversation.queued_at)).where(Conversation.status == "waiting"))
    return QueueOverview(counts.get("waiting", 0), counts.get("claimed", 0), crisis or 0, now - oldest if oldest else None)


async def recent_waits(session: AsyncSession, since: dt.datetime) -> list[tuple[dt.datetime, dt.timedelta]]:
    """When each conversation claimed since `since` was queued, and how long it waited."""
    rows = (await session.execute(
        select(Conversation.queued_at, Conversation.claimed_at).where(Conversation.claimed_at >= since)
    )).all()
    return [(q, c - q) for q, c in rows if q and c]


async def forget_person(session: AsyncSession, person: str) -> list[Conversation]:
    """Delete every conversation of this person, open or ended; return them (to delete their topics)."""
    theirs = list((await session.execute(select(Conversation).where(Conversation.person == person))).scalars())
    await session.execute(delete(Conversation).where(Conversation.person == person))
    return theirs


async def had_conversation(session: AsyncSession, person: str) -> bool:
    """Whether this person has a conversation, open or ended and not yet purged: what they write
    then may belong to it, so it is never kept as a question for the editors."""
    return await session.scalar(select(Conversation.id).where(Conversation.person == person).limit(1)) is not None


async def drop_chat_ids(session: AsyncSession, closed_before: dt.datetime) -> int:
    """An ended conversation needs no way to reach the person (late replies are refused): its
    encrypted chat id and claimer's name go as soon as the closing update has used them."""
    result = await session.execute(
        update(Conversation)
        .where(Conversation.status == "closed", Conversation.closed_at <= closed_before,
               or_(Conversation.chat_cipher.is_not(None), Conversation.counsellor_name_cipher.is_not(None)))
        .values(chat_cipher=None, counsellor_name_cipher=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0  # type: ignore[attr-defined]


async def expired(session: AsyncSession, now: dt.datetime, limit: int = 500) -> list[tuple[int, int | None]]:
    """(id, topic's thread id) of conversations past their grace period."""
    rows = await session.execute(
        select(Conversation.id, Conversation.thread_id).where(Conversation.purge_after <= now)
        .order_by(Conversation.id).limit(limit)
    )
    return [(row[0], row[1]) for row in rows]


async def delete_ids(session: AsyncSession, ids: list[int]) -> int:
    if not ids:
        return 0
    result = await session.execute(delete(Conversation).where(Conversation.id.in_(ids)))
    return result.rowcount or 0  # type: ignore[attr-defined]


async def purge_expired(session: AsyncSession, now: dt.datetime) -> int:
    result = await session.execute(delete(Conversation).where(Conversation.purge_after <= now))
    return result.rowcount or 0  # type: ignore[attr-defined]
