"""A person's preferences, by pseudonym. Repositories never commit: the caller owns the unit of work."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from sqlalchemy import bindparam, delete, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.conversations import IS_OPEN
from storage.direct import Direct
from storage.models import Conversation, Person
from storage.upsert import insert_for


async def get_language(session: AsyncSession, pseudonym: str) -> str | None:
    return await session.scalar(select(Person.language).where(Person.pseudonym == pseudonym))


async def set_language(session: AsyncSession, pseudonym: str, language: str) -> None:
    stmt = insert_for(session, Person).values(pseudonym=pseudonym, language=language, last_seen_on=dt.date.today())
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[Person.pseudonym], set_={"language": language, "last_seen_on": dt.date.today()}
        )
    )


async def forget(session: AsyncSession, pseudonym: str) -> int:
    # A row noted in this same update (their first message: /forget) is not in the database yet:
    # drop it from the session, or the commit would store it right after they asked to be forgotten.
    for pending in [p for p in session.new if isinstance(p, Person) and p.pseudonym == pseudonym]:
        session.expunge(pending)
    result = await session.execute(delete(Person).where(Person.pseudonym == pseudonym))
    return result.rowcount or 0  # type: ignore[attr-defined]


async def purge_inactive(session: AsyncSession, before: dt.date) -> int:
    result = await session.execute(delete(Person).where(Person.last_seen_on < before))
    return result.rowcount or 0  # type: ignore[attr-defined]


WIPE_WINDOW = dt.timedelta(hours=47)  # Telegram allows 48 h; keep a margin for clock differences


# Read on every update: made once, run as Core. Whether they have an open conversation comes along,
# so the many messages of people who have none skip looking for it (handoff/person.py).
_NOTE = Direct(select(
    Person.language, Person.last_seen_on, Person.wipe_from_message_id, Person.wipe_from_at,
    exists().where(Conversation.person == Person.pseudonym, IS_OPEN).label("in_conversation"),
).where(Person.pseudonym == bindparam("pseudonym")))


class Noted(NamedTuple):
    language: str | None  # their chosen language, if any
    # An open conversation (waiting or claimed) when the update began; None: not known, because they
    # have no row (a conversation can be open without one: /forget, then an old "talk" button).
    in_conversation: bool | None


async def note_message(session: AsyncSession, pseudonym: str, message_id: int | None, now: dt.datetime) -> Noted:
    """Note that this person wrote, and where this chat's deletable window starts (the first message
    id of the last 48 h). One read; a write (at the update's end) only when something changed: the
    first message of a day or of a new window."""
    row = await _NOTE.first(session, {"pseudonym": pseudonym})
    if row is None:
        noted = Noted(None, None)
    else:
        language, last_seen_on, wipe_from_message_id, wipe_from_at, in_conversation = row
        noted = Noted(language, bool(in_conversation))
    if message_id is None:
        return noted
    if row is None:
        session.add(Person(pseudonym=pseudonym, last_seen_on=now.date(), wipe_from_message_id=message_id,
                           wipe_from_at=now))
        return noted
    changes: dict[str, object] = {}
    if last_seen_on != now.date():
        changes["last_seen_on"] = now.date()
    if wipe_from_message_id is None or wipe_from_at is None or now - wipe_from_at > WIPE_WINDOW:
        changes.update(wipe_from_message_id=message_id, wipe_from_at=now)
    if changes:
        person = await session.get(Person, pseudonym)
        if person is not None:
            for name, value in changes.items():
                setattr(person, name, value)
    return noted


async def wipe_range_start(session: AsyncSession, pseudonym: str) -> int | None:
    # Through the session, so a window moved by this update's `note_message` (written at the end) counts.
    person = await session.get(Person, pseudonym)
    return person.wipe_from_message_id if person is not None else None


async def note_message_after_wipe(session: AsyncSession, pseudonym: str, message_id: int) -> None:
    """After /wipe, the deletable window starts again at the bot's confirmation."""
    person = await session.get(Person, pseudonym)
    if person is not None:
        person.wipe_from_message_id = message_id
        person.wipe_from_at = dt.datetime.now(dt.UTC)
